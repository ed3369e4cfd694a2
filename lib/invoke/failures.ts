// How failures on the way to a function become Kubernetes Status objects, and the deadline of a
// call. One mapping for both platforms, so a client sees the same code and reason everywhere.
import { statusFailure, type Status } from '../k8s/status.js';
import { GROUP } from '../types.js';

/** Why a call did not reach a function, or did not come back. */
export interface ProxyFailure {
  /** Node's error code (ECONNREFUSED, ECONNRESET, ...) or ours: TIMEOUT, TOO_LARGE, NO_ENDPOINTS. */
  code: string | undefined;
  namespace: string;
  name: string;
  timeoutSeconds?: number;
  limitBytes?: number;
  /** The body size the caller announced (Content-Length), when that is what broke the limit. */
  declaredBytes?: number;
  /** Words for the 503 of a function that cannot take calls: why, and what to do about it. */
  notReady?: { why: string; fix: string };
}

const details = (name: string) => ({ name, group: GROUP, kind: 'functions' });

export function proxyFailureStatus(f: ProxyFailure): Status {
  const fn = `function ${f.namespace}/${f.name}`;
  switch (f.code) {
    case 'TIMEOUT':
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return statusFailure(
        504,
        'Timeout',
        `${fn} did not answer within ${f.timeoutSeconds ?? '?'}s; raise spec.timeout or make the handler faster`,
        details(f.name),
      );
    case 'TOO_LARGE':
      return statusFailure(
        413,
        'RequestEntityTooLarge',
        `the request body${f.declaredBytes === undefined ? '' : ` (${f.declaredBytes} bytes)`} for ${fn} is larger than the ${f.limitBytes ?? '?'}-byte limit; send a smaller body (or pass large data by URL), or raise the limit (kubeless api --body-limit on a cluster)`,
        details(f.name),
      );
    case 'NOT_READY':
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'NO_ENDPOINTS': {
      const why = f.notReady?.why ?? f.code;
      const fix = f.notReady?.fix ?? `check "kubectl get fn ${f.name} -n ${f.namespace}" and its pods`;
      return statusFailure(503, 'ServiceUnavailable', `${fn} is not ready (${why}); ${fix}`, {
        ...details(f.name),
        retryAfterSeconds: 1,
      });
    }
    default:
      return statusFailure(
        502,
        'InternalError',
        `proxying to ${fn} failed (${f.code ?? 'unknown error'}); see the log of the invoke proxy`,
        details(f.name),
      );
  }
}

export function functionNotFound(namespace: string, name: string): Status {
  return statusFailure(
    404,
    'NotFound',
    `functions.kubeless.io "${name}" not found in namespace "${namespace}"`,
    details(name),
  );
}
