// How failures on the way to a function become Kubernetes Status objects.
import { statusFailure, type Status } from '../lib/k8s/status.js';

export interface ProxyFailure {
  /** Node's error code (ECONNREFUSED, ENOTFOUND, ...) or our own: TIMEOUT, TOO_LARGE. */
  code: string | undefined;
  namespace: string;
  name: string;
  timeoutSeconds?: number;
  limitBytes?: number;
}

export function proxyFailureStatus(f: ProxyFailure): Status {
  const details = { name: f.name, group: 'kubeless.io', kind: 'functions' };
  const fn = `function ${f.namespace}/${f.name}`;
  switch (f.code) {
    case 'TIMEOUT':
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return statusFailure(
        504,
        'Timeout',
        `${fn} did not answer within ${f.timeoutSeconds ?? '?'}s; raise spec.timeout or make the handler faster`,
        details,
      );
    case 'TOO_LARGE':
      return statusFailure(
        413,
        'RequestEntityTooLarge',
        `request body for ${fn} exceeds ${f.limitBytes ?? '?'} bytes; send a smaller body or raise --body-limit`,
        details,
      );
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'NO_ENDPOINTS':
      return statusFailure(
        503,
        'ServiceUnavailable',
        `${fn} is not ready (${f.code}); check "kubectl get fn ${f.name} -n ${f.namespace}" and its pods`,
        { ...details, retryAfterSeconds: 1 },
      );
    default:
      return statusFailure(
        502,
        'InternalError',
        `proxying to ${fn} failed (${f.code ?? 'unknown error'}); see the api server's log`,
        details,
      );
  }
}

export function functionNotFound(namespace: string, name: string): Status {
  return statusFailure(
    404,
    'NotFound',
    `functions.kubeless.io "${name}" not found in namespace "${namespace}"`,
    {
      name,
      group: 'kubeless.io',
      kind: 'functions',
    },
  );
}

/** The deadline for one call: the Function's own timeout plus a margin for the runtime's 408. */
export function invokeTimeoutSeconds(specTimeout: string | number | undefined, marginSeconds = 5): number {
  const n = typeof specTimeout === 'number' ? specTimeout : Number.parseInt(specTimeout ?? '', 10);
  const base = Number.isFinite(n) && n > 0 ? n : 180;
  return base + marginSeconds;
}
