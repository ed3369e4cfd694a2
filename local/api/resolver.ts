// Where the local platform's functions are reached, for the invoke proxy of lib/invoke: the
// runtime process's port on 127.0.0.1, once the controller says it is ready. A function that is
// still starting is waited for a little (a fresh deploy takes a moment).
import type { FunctionResolver, Resolution } from '../../lib/invoke/resolver.js';
import type { Endpoint } from '../controller/reconciler.js';

export interface EndpointSource {
  endpoint(namespace: string, name: string): Endpoint;
}

/** Polls the backend while the function is starting, up to `waitMs`. */
export async function waitForEndpoint(read: () => Endpoint, waitMs: number): Promise<Endpoint> {
  let ep = read();
  if (ep.state !== 'starting') return ep;
  const deadline = Date.now() + waitMs;
  while (ep.state === 'starting' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
    ep = read();
  }
  return ep;
}

/** What the proxy is told about an endpoint. Pure. */
export function resolution(ep: Endpoint, name: string, waitedMs: number): Resolution {
  switch (ep.state) {
    case 'ready':
      return {
        state: 'ready',
        address: { host: '127.0.0.1', port: ep.port },
        timeoutSeconds: ep.timeoutSeconds,
      };
    case 'missing':
      return { state: 'missing' };
    case 'failed':
      return {
        state: 'unavailable',
        why: `${ep.reason}: ${ep.message}`,
        fix: `see kubectl get function ${name} -o yaml and its log`,
      };
    default:
      return {
        state: 'unavailable',
        why: `still starting after ${waitedMs} ms`,
        fix: `see kubectl get function ${name} -o yaml and its log`,
      };
  }
}

export function processResolver(backend: EndpointSource, startWaitMs: number): FunctionResolver {
  return {
    resolve(ns, name) {
      const ep = backend.endpoint(ns, name);
      // Only a function that is still starting is waited for; every other answer is known now.
      if (ep.state !== 'starting') return resolution(ep, name, startWaitMs);
      return waitForEndpoint(() => backend.endpoint(ns, name), startWaitMs).then((later) =>
        resolution(later, name, startWaitMs),
      );
    },
  };
}

/**
 * For an HTTPTrigger: a route to a Function that does not exist is a 503 saying so, as an
 * Ingress answers for a backend Service that is missing, not the API's 404.
 */
function missingAsUnavailable(r: Resolution): Resolution {
  if (r.state !== 'missing') return r;
  return {
    state: 'unavailable',
    why: 'it does not exist',
    fix: 'deploy it, or point the trigger at an existing Function',
  };
}

export function routeResolver(base: FunctionResolver): FunctionResolver {
  return {
    resolve(ns, name) {
      const r = base.resolve(ns, name);
      return r instanceof Promise ? r.then(missingAsUnavailable) : missingAsUnavailable(r);
    },
    forget: base.forget,
  };
}
