import { describe, expect, it } from '@jest/globals';
import type { Cluster, FunctionInfo } from '../../../api/kube.js';
import { cachedLookups } from '../../../api/lookups.js';

/** A Cluster whose lookups count their calls and answer from mutable tables. */
function countingCluster() {
  const calls = { fn: 0, ep: 0 };
  const functions = new Map<string, FunctionInfo>([['ns/hello', { timeoutSeconds: 3 }]]);
  const endpoints = new Map([['ns/hello', { host: '10.0.0.1', port: 8080 }]]);
  const cluster: Cluster = {
    review: () => Promise.reject(new Error('unused')),
    getFunction: async (ns, name) => {
      calls.fn += 1;
      await new Promise((r) => setTimeout(r, 5));
      return functions.get(`${ns}/${name}`);
    },
    serviceClusterIP: () => Promise.resolve(undefined),
    serviceEndpoint: (ns, name) => {
      calls.ep += 1;
      return Promise.resolve(endpoints.get(`${ns}/${name}`));
    },
    functionPods: () => Promise.resolve([]),
    podLog: () => Promise.reject(new Error('unused')),
    frontProxyConfig: () => Promise.reject(new Error('unused')),
  };
  return { calls, functions, endpoints, cluster };
}

const opts = { functionTtlMs: 60_000, endpointTtlMs: 60_000, maxEntries: 10 };

describe('cached lookups for invoke', () => {
  it('asks kube-apiserver once for repeated and concurrent lookups of one function', async () => {
    const c = countingCluster();
    const l = cachedLookups(c.cluster, opts);
    const answers = await Promise.all([l.getFunction('ns', 'hello'), l.getFunction('ns', 'hello')]);
    expect(answers).toEqual([{ timeoutSeconds: 3 }, { timeoutSeconds: 3 }]);
    expect(await l.getFunction('ns', 'hello')).toEqual({ timeoutSeconds: 3 });
    expect(c.calls.fn).toBe(1);
  });

  it('does not remember a missing function, so one created a moment later is found', async () => {
    const c = countingCluster();
    const l = cachedLookups(c.cluster, opts);
    expect(await l.getFunction('ns', 'later')).toBeUndefined();
    c.functions.set('ns/later', { timeoutSeconds: 180 });
    expect(await l.getFunction('ns', 'later')).toEqual({ timeoutSeconds: 180 });
  });

  it('looks a function up again once its entry expires (a deletion becomes a 404)', async () => {
    const c = countingCluster();
    const l = cachedLookups(c.cluster, { ...opts, functionTtlMs: 30 });
    expect(await l.getFunction('ns', 'hello')).toBeDefined();
    c.functions.delete('ns/hello');
    await new Promise((r) => setTimeout(r, 60));
    expect(await l.getFunction('ns', 'hello')).toBeUndefined();
  });

  it('resolves the Service afresh after forgetService (the pod behind the address went away)', async () => {
    const c = countingCluster();
    const l = cachedLookups(c.cluster, opts);
    expect(await l.serviceEndpoint('ns', 'hello')).toEqual({ host: '10.0.0.1', port: 8080 });
    c.endpoints.set('ns/hello', { host: '10.0.0.2', port: 8080 });
    expect(await l.serviceEndpoint('ns', 'hello')).toEqual({ host: '10.0.0.1', port: 8080 });
    l.forgetService('ns', 'hello');
    expect(await l.serviceEndpoint('ns', 'hello')).toEqual({ host: '10.0.0.2', port: 8080 });
    expect(c.calls.ep).toBe(2);
  });
});
