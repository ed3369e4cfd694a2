import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { pino } from 'pino';
import { Informer } from '../../../lib/k8s/informer.js';
import { LAST_APPLIED } from '../../../controller/trim.js';

// A real watch stream from a local HTTP server: what the cache holds after a list and after a
// watch event is what the reconciler reads, so both paths must come out trimmed.

type Obj = KubernetesObject & { spec?: { code?: string } };

const heavy = (name: string, rv: string, code: string): Obj => ({
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'Function',
  metadata: {
    name,
    namespace: 'ns',
    resourceVersion: rv,
    annotations: { [LAST_APPLIED]: JSON.stringify({ spec: { code } }), keep: 'me' },
    managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': {} } }],
  },
  spec: { code },
});

let server: http.Server;
let kc: KubeConfig;
const watchers: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders(); // the client's watch() resolves once the headers arrive
    watchers.push(res);
    req.on('close', () => watchers.splice(watchers.indexOf(res), 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'u' }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition not reached within 2 s');
}

describe('Informer', () => {
  test('objects from the list and from watch events are cached without managedFields or the last-applied copy', async () => {
    const seen: string[] = [];
    let customTrims = 0;
    const informer = new Informer<Obj>({
      kc,
      path: '/apis/kubeless.io/v1beta1/functions',
      list: () =>
        Promise.resolve({ metadata: { resourceVersion: '10' }, items: [heavy('listed', '9', 'a')] }),
      log: pino({ level: 'silent' }),
      onChange: (obj, verb) =>
        seen.push(`${verb} ${obj.metadata?.name} ${obj.metadata?.managedFields ? 'heavy' : 'trimmed'}`),
      trim: () => void customTrims++,
    });
    await informer.start();
    await until(() => watchers.length === 1);
    watchers[0].write(`${JSON.stringify({ type: 'ADDED', object: heavy('watched', '11', 'b') })}\n`);
    watchers[0].write(`${JSON.stringify({ type: 'MODIFIED', object: heavy('listed', '12', 'c') })}\n`);
    await until(() => seen.length === 3);
    await informer.stop();

    expect(seen).toEqual(['add listed trimmed', 'add watched trimmed', 'update listed trimmed']);
    expect(customTrims).toBe(3);
    for (const name of ['listed', 'watched']) {
      const cached = informer.get(name, 'ns');
      expect(cached?.metadata?.managedFields).toBeUndefined();
      expect(cached?.metadata?.annotations).toEqual({ keep: 'me' });
    }
    // The update replaced the listed object, with the spec the reconciler needs.
    expect(informer.get('listed', 'ns')?.spec?.code).toBe('c');
    expect(informer.synced).toBe(true);
  });
});
