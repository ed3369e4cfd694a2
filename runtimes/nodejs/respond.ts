// Pure rules that turn what a handler returned into an HTTP response.

export type HeaderMap = Record<string, string | string[]>;

export interface Reply {
  status: number;
  headers: HeaderMap;
  body: string | Buffer;
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const BINARY = 'application/octet-stream';

/** Mutates: each call owns its header map, and a copy per call is measurable on the hot path. */
function withType(headers: HeaderMap, type: string): HeaderMap {
  if (headers['content-type'] === undefined) headers['content-type'] = type;
  return headers;
}

/**
 * A string is text, bytes are bytes, nothing is an empty body, anything else is JSON.
 * Headers the handler set win over the defaults; their names must already be lower case.
 */
export function toReply(value: unknown, status: number, headers: HeaderMap): Reply {
  if (typeof value === 'string') {
    return { status, headers: withType(headers, TEXT), body: value };
  }
  if (value === undefined || value === null) {
    return { status, headers, body: '' };
  }
  if (Buffer.isBuffer(value)) {
    return { status, headers: withType(headers, BINARY), body: value };
  }
  if (value instanceof Uint8Array) {
    return { status, headers: withType(headers, BINARY), body: Buffer.from(value) };
  }
  const json = JSON.stringify(value);
  return { status, headers: withType(headers, JSON_TYPE), body: json ?? '' };
}

/**
 * Marks an answer the runtime made itself (timeout, exception, body too large), so a proxy can
 * tell it from the function's own answer with the same status code (kubeless api turns it into a
 * Kubernetes Status).
 */
export const RUNTIME_ERROR_HEADER = 'kubeless-error';

export function errorReply(status: number, message: string, extra: HeaderMap = {}): Reply {
  return {
    status,
    headers: { ...extra, 'content-type': JSON_TYPE, [RUNTIME_ERROR_HEADER]: 'true' },
    body: JSON.stringify({ error: message }),
  };
}

/** Valid status codes only: a handler's typo must not crash the write. */
export function validStatus(code: unknown): number | undefined {
  return typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599 ? code : undefined;
}
