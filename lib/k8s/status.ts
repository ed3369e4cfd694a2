// Kubernetes `Status` objects (meta/v1) for every error our servers answer, so kubectl and
// client libraries show them the way they show the API server's own errors.
import type { FieldError } from '../function/errors.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'Timeout'
  | 'TooManyRequests'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'ServiceUnavailable'
  | 'InternalError'
  | 'Unknown';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  apiVersion: 'v1';
  kind: 'Status';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason | string;
  details?: StatusDetails;
  code: number;
}

export function statusFailure(
  code: number,
  reason: StatusReason | string,
  message: string,
  details?: StatusDetails,
): Status {
  const s: Status = {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) s.details = details;
  return s;
}

export function statusSuccess(details?: StatusDetails): Status {
  const s: Status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}

/** `<Kind>.<group> "<name>"`, the way the API server names an object in messages. */
function qualified(kind: string, name: string, group: string): string {
  return `${kind}${group ? `.${group}` : ''} "${name}"`;
}

/** One line per problem: `spec.handler: Invalid value: ...: <message> (fix: <fix>)`. */
export function describeFieldError(e: FieldError): string {
  const type = {
    FieldValueRequired: 'Required value',
    FieldValueInvalid: 'Invalid value',
    FieldValueNotSupported: 'Unsupported value',
    FieldValueTooLong: 'Too long',
    FieldValueForbidden: 'Forbidden',
  }[e.type];
  return `${e.field}: ${type}: ${e.message}${e.fix ? ` (fix: ${e.fix})` : ''}`;
}

/** 422 Invalid with one cause per field error, as kube-apiserver answers a failed validation. */
export function invalidStatus(kind: string, name: string, group: string, errors: FieldError[]): Status {
  const list = errors.map(describeFieldError);
  const message = `${qualified(kind, name, group)} is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`;
  return statusFailure(422, 'Invalid', message, {
    name,
    group,
    kind,
    causes: errors.map((e) => ({
      reason: e.type,
      message: `${e.message}${e.fix ? ` (fix: ${e.fix})` : ''}`,
      field: e.field,
    })),
  });
}

export function notFoundStatus(kind: string, name: string, group: string, resource?: string): Status {
  return statusFailure(
    404,
    'NotFound',
    `${resource ?? kind}${group ? `.${group}` : ''} "${name}" not found`,
    {
      name,
      group,
      kind: resource ?? kind,
    },
  );
}

export function alreadyExistsStatus(kind: string, name: string, group: string, resource?: string): Status {
  return statusFailure(
    409,
    'AlreadyExists',
    `${resource ?? kind}${group ? `.${group}` : ''} "${name}" already exists`,
    { name, group, kind: resource ?? kind },
  );
}

export function conflictStatus(kind: string, name: string, group: string, message: string): Status {
  return statusFailure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(kind, name, group)}: ${message}`,
    { name, group, kind },
  );
}

export function badRequestStatus(message: string): Status {
  return statusFailure(400, 'BadRequest', message);
}

export function isStatus(value: unknown): value is Status {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as { kind?: unknown }).kind === 'Status' &&
    typeof (value as { code?: unknown }).code === 'number'
  );
}
