// AdmissionReview v1 in and out: parsing an untrusted body into a request, and shaping the reply.
import type { Status } from '../lib/k8s/status.js';

export type { Status };

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  operation: Operation;
  namespace?: string;
  name?: string;
  object?: Record<string, unknown>;
  oldObject?: Record<string, unknown>;
  dryRun: boolean;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: Status;
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
}

export interface AdmissionReviewOut {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

export type ParsedReview =
  { ok: true; request: AdmissionRequest } | { ok: false; uid?: string; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads an AdmissionReview body. Never throws: anything that is not a v1 AdmissionReview with a
 * request comes back as `{ ok: false }` with what is wrong, plus the uid when one could be read so
 * the caller can still answer with a review the apiserver can match.
 */
export function parseReview(body: unknown): ParsedReview {
  if (!isRecord(body)) return { ok: false, message: 'body must be a JSON object (an AdmissionReview)' };
  const req = body.request;
  const uid = isRecord(req) && typeof req.uid === 'string' && req.uid !== '' ? req.uid : undefined;
  const fail = (message: string): ParsedReview => ({ ok: false, uid, message });
  if (body.kind !== 'AdmissionReview') return fail('kind must be AdmissionReview');
  if (body.apiVersion !== ADMISSION_API_VERSION) {
    return fail(
      `apiVersion must be ${ADMISSION_API_VERSION}; set admissionReviewVersions: ["v1"] in the webhook configuration`,
    );
  }
  if (!isRecord(req)) return fail('request is missing');
  if (!uid) return fail('request.uid must be a non-empty string');
  const kind = req.kind;
  if (
    !isRecord(kind) ||
    typeof kind.group !== 'string' ||
    typeof kind.version !== 'string' ||
    typeof kind.kind !== 'string'
  ) {
    return fail('request.kind must have string group, version and kind');
  }
  if (typeof req.operation !== 'string' || !OPERATIONS.includes(req.operation)) {
    return fail(`request.operation must be one of ${OPERATIONS.join(', ')}`);
  }
  const operation = req.operation as Operation;
  for (const key of ['namespace', 'name'] as const) {
    if (req[key] !== undefined && typeof req[key] !== 'string')
      return fail(`request.${key} must be a string`);
  }
  for (const key of ['object', 'oldObject'] as const) {
    if (req[key] !== undefined && req[key] !== null && !isRecord(req[key]))
      return fail(`request.${key} must be an object`);
  }
  if ((operation === 'CREATE' || operation === 'UPDATE') && !isRecord(req.object)) {
    return fail(`request.object is required for ${operation}`);
  }
  if (req.dryRun !== undefined && typeof req.dryRun !== 'boolean')
    return fail('request.dryRun must be a boolean');
  return {
    ok: true,
    request: {
      uid,
      kind: { group: kind.group, version: kind.version, kind: kind.kind },
      operation,
      namespace: req.namespace as string | undefined,
      name: req.name as string | undefined,
      object: isRecord(req.object) ? req.object : undefined,
      oldObject: isRecord(req.oldObject) ? req.oldObject : undefined,
      dryRun: req.dryRun === true,
    },
  };
}

export function reviewOut(response: AdmissionResponse): AdmissionReviewOut {
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response };
}

/** A request this webhook must not judge: deletes, and objects already on their way out. */
export function isBeingDeleted(req: AdmissionRequest): boolean {
  if (req.operation === 'DELETE') return true;
  const meta = req.object?.metadata;
  return isRecord(meta) && meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
}
