// Per-invoke lookups (does the Function exist, what is its timeout, where is its Service) cached
// for a second or two. Without it every call costs kube-apiserver one or two extra requests, which
// on a busy control plane is most of the aggregated path's price (bench/invoke-path.ts).
import { LRUCache } from 'lru-cache';
import type { Cluster, FunctionInfo } from './kube.js';

export interface LookupCacheOptions {
  /** How long a found Function is trusted: a deletion shows up as 404 at most this much later. */
  functionTtlMs: number;
  /** How long a resolved Service address is trusted; a refused connection forgets it at once. */
  endpointTtlMs: number;
  maxEntries: number;
}

export const DEFAULT_LOOKUP_CACHE: LookupCacheOptions = {
  functionTtlMs: 2000,
  endpointTtlMs: 1000,
  maxEntries: 10_000,
};

type Address = { host: string; port: number };

export interface CachedLookups {
  getFunction(namespace: string, name: string): Promise<FunctionInfo | undefined>;
  /** `portName`: the function's Service port (lib/function/ports.ts). */
  serviceEndpoint(namespace: string, name: string, portName?: string): Promise<Address | undefined>;
  serviceClusterIP(namespace: string, name: string): Promise<string | undefined>;
  /** Drops what is known about a function's Service (its pod went away under us). */
  forgetService(namespace: string, name: string): void;
}

// Misses are not stored (fetchMethod returning undefined), so a just-created Function or a Service
// that just got endpoints is found on the next call; concurrent misses share one request.
// The context (a port name) is not part of the key: a function's port name changes only with its
// spec.service, and an entry lives a second.
function cache<V extends object, C = undefined>(
  ttl: number,
  max: number,
  load: (ns: string, name: string, context: C) => Promise<V | undefined>,
) {
  return new LRUCache<string, V, C>({
    max,
    ttl,
    fetchMethod: (key, _stale, { context }) => {
      const slash = key.indexOf('/');
      return load(key.slice(0, slash), key.slice(slash + 1), context);
    },
  });
}

export function cachedLookups(cluster: Cluster, o: LookupCacheOptions = DEFAULT_LOOKUP_CACHE): CachedLookups {
  const functions = cache(o.functionTtlMs, o.maxEntries, (ns, name) => cluster.getFunction(ns, name));
  const endpoints = cache<Address, string | undefined>(o.endpointTtlMs, o.maxEntries, (ns, name, port) =>
    cluster.serviceEndpoint(ns, name, port),
  );
  const clusterIPs = cache(o.endpointTtlMs, o.maxEntries, async (ns, name) => {
    const ip = await cluster.serviceClusterIP(ns, name);
    return ip === undefined ? undefined : { ip };
  });
  const key = (ns: string, name: string): string => `${ns}/${name}`;
  return {
    getFunction: (ns, name) => functions.fetch(key(ns, name)),
    serviceEndpoint: (ns, name, portName) => endpoints.fetch(key(ns, name), { context: portName }),
    serviceClusterIP: async (ns, name) => (await clusterIPs.fetch(key(ns, name)))?.ip,
    forgetService(ns, name) {
      endpoints.delete(key(ns, name));
      clusterIPs.delete(key(ns, name));
    },
  };
}
