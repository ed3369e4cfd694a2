// Telling a function's own answer from one the platform made. The runtimes mark the answers they
// make themselves (a call past its timeout, an exception, a body over the limit) with the header
// below; the invoke proxies turn those into a Kubernetes Status, which kubectl and client
// libraries print with its reason ("Error from server (Timeout): ..."), and pass every other
// answer through untouched, whatever its status code.
import type { IncomingHttpHeaders } from 'node:http';
import { statusFailure, type Status, type StatusReason } from '../k8s/status.js';
import { GROUP } from '../types.js';

/** Set by the runtimes (runtimes/*) on the error answers they make; a function never needs it. */
export const RUNTIME_ERROR_HEADER = 'kubeless-error';

/** Error bodies are a short JSON object; more than this is not one of ours. */
export const RUNTIME_ERROR_MAX_BYTES = 64 * 1024;

export function isRuntimeError(headers: IncomingHttpHeaders): boolean {
  return headers[RUNTIME_ERROR_HEADER] !== undefined;
}

const REASONS: Record<number, StatusReason> = {
  400: 'BadRequest',
  408: 'Timeout',
  413: 'RequestEntityTooLarge',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** The runtime's `{"error": "..."}`, or the body as text when it is something else. */
function messageOf(body: Buffer): string {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: use the text
  }
  return text.trim() || 'no message';
}

/** The Status for a runtime-made answer with `code` and `body`, for function `namespace/name`. */
export function runtimeErrorStatus(code: number, body: Buffer, namespace: string, name: string): Status {
  return statusFailure(
    code,
    REASONS[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest'),
    `function ${namespace}/${name}: ${messageOf(body)}`,
    { name, group: GROUP, kind: 'functions' },
  );
}
