// Where the cluster's functions are reached (--service-address), for the invoke proxy of
// lib/invoke: the Function must exist (404 otherwise), and its Service must have an address.
import type { Address, FunctionConnections } from '../lib/invoke/connections.js';
import type { FunctionResolver, Resolution } from '../lib/invoke/resolver.js';
import { functionPorts } from '../lib/function/ports.js';
import type { FunctionInfo } from './kube.js';
import type { CachedLookups } from './lookups.js';

export type ServiceAddressMode = 'dns' | 'cluster-ip' | 'endpoints';

export interface ClusterResolverOptions {
  lookups: CachedLookups;
  mode: ServiceAddressMode;
  connections: FunctionConnections;
}

const same = (a: Address, b: Address): boolean => a.host === b.host && a.port === b.port;

export function clusterResolver(o: ClusterResolverOptions): FunctionResolver {
  // The endpoint each function was last reached at: when it changes, the old one went away (a
  // rollout, a rescheduled pod) and its kept sockets must not carry more calls.
  const lastEndpoint = new Map<string, Address>();
  // A Service's address stays the same through a rollout while the pods behind it change: a socket
  // kept from before would carry calls to an old, draining pod (old code) after the rollout ended.
  const lastRollout = new Map<string, string>();

  /**
   * The function's Service port, or with endpoints its pod's targetPort under that port's name: both
   * from spec.service.ports (lib/function/ports.ts), as the controller made the Service.
   */
  async function address(ns: string, name: string, fn: FunctionInfo): Promise<Address | undefined> {
    const ports = fn.ports ?? functionPorts(undefined);
    if (o.mode === 'endpoints') return o.lookups.serviceEndpoint(ns, name, ports.name);
    if (o.mode === 'cluster-ip') {
      const ip = await o.lookups.serviceClusterIP(ns, name);
      return ip === undefined ? undefined : { host: ip, port: ports.servicePort };
    }
    return { host: `${name}.${ns}.svc`, port: ports.servicePort };
  }

  return {
    async resolve(ns, name): Promise<Resolution> {
      const key = `${ns}/${name}`;
      const fn = await o.lookups.getFunction(ns, name);
      if (!fn) {
        lastEndpoint.delete(key);
        lastRollout.delete(key);
        return { state: 'missing' };
      }
      const to = await address(ns, name, fn);
      if (!to) {
        return {
          state: 'unavailable',
          why: 'NO_ENDPOINTS',
          fix: `check "kubectl get fn ${name} -n ${ns}" and its pods`,
        };
      }
      if (o.mode === 'endpoints') {
        const before = lastEndpoint.get(key);
        if (before && !same(before, to)) o.connections.dropIdle(before);
        lastEndpoint.set(key, to);
      }
      if (fn.rollout !== undefined) {
        const before = lastRollout.get(key);
        if (before !== undefined && before !== fn.rollout) o.connections.renew(to);
        lastRollout.set(key, fn.rollout);
      }
      return { state: 'ready', address: to, timeoutSeconds: fn.timeoutSeconds };
    },
    forget(ns, name, to) {
      o.lookups.forgetService(ns, name);
      o.connections.dropIdle(to);
    },
  };
}
