import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { AgentPool, agentKey } from '../../../lib/k8s/agent-pool.js';
import { makeClients } from '../../../controller/kube.js';
import { makePki, type TestPki } from '../../integration/cli/tls.js';

// A real TLS server that demands a client certificate, as kube-apiserver does, counting the
// handshakes: the point of the pool is that N requests do not cost N handshakes.
let pki: TestPki;
let server: https.Server;
let handshakes = 0;
let dir: string;
let kubeconfigPath: string;

const configMap = (name: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ns', resourceVersion: '7' },
  });

beforeAll(async () => {
  pki = makePki();
  server = https.createServer(
    { cert: pki.server.cert, key: pki.server.key, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.includes('watch=true')) {
        // One event, then the stream stays open like a real watch until the client aborts it.
        res.write(`${JSON.stringify({ type: 'ADDED', object: JSON.parse(configMap('watched')) })}\n`);
        return;
      }
      if (req.url === '/api/v1') {
        // Discovery, which the generic object client asks before its first call.
        const resources = [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['get'] }];
        res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources }));
        return;
      }
      const name = /configmaps\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? 'x';
      res.end(configMap(name));
    },
  );
  server.on('secureConnection', () => handshakes++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  dir = mkdtempSync(join(tmpdir(), 'kubeless-agent-pool-'));
  kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfigPath,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'test',
      clusters: [
        {
          name: 'test',
          cluster: {
            server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
            'certificate-authority-data': b64(pki.ca),
          },
        },
      ],
      users: [
        {
          name: 'alice',
          user: { 'client-certificate-data': b64(pki.client.cert), 'client-key-data': b64(pki.client.key) },
        },
      ],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'alice' } }],
    }),
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function readMany(core: CoreV1Api, n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const cm = await core.readNamespacedConfigMap({ name: `cm-${i}`, namespace: 'ns' });
    names.push(cm.metadata?.name ?? '');
  }
  return names;
}

describe('makeClients shares keep-alive connections', () => {
  it('20 sequential calls through the controller clients cost one TLS handshake (a plain KubeConfig costs 20)', async () => {
    const clients = makeClients(kubeconfigPath);
    handshakes = 0;
    const names = await readMany(clients.core, 20);
    expect(names).toEqual(Array.from({ length: 20 }, (_, i) => `cm-${i}`));
    expect(handshakes).toBe(1);

    // The same calls without the pool, to show what is being avoided.
    const plain = new KubeConfig();
    plain.loadFromFile(kubeconfigPath);
    handshakes = 0;
    await readMany(plain.makeApiClient(CoreV1Api), 20);
    expect(handshakes).toBe(20);
  });

  it('parallel calls open at most one connection each, and the API clients of one config share them', async () => {
    const clients = makeClients(kubeconfigPath);
    handshakes = 0;
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        clients.core.readNamespacedConfigMap({ name: `p-${i}`, namespace: 'ns' }),
      ),
    );
    const opened = handshakes;
    expect(opened).toBeLessThanOrEqual(4);
    // The generic object client and the typed client reuse those connections.
    await clients.objects.read({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'o', namespace: 'ns' },
    });
    await readMany(clients.core, 4);
    expect(handshakes).toBe(opened);
  });

  it('a watch runs on the pool beside ordinary calls, and receives its events', async () => {
    const clients = makeClients(kubeconfigPath);
    handshakes = 0;
    const seen: string[] = [];
    const gotEvent = new Promise<void>((resolve) => {
      void new Watch(clients.kc)
        .watch(
          '/api/v1/configmaps',
          {},
          (type: string, obj: { metadata?: { name?: string } }) => {
            seen.push(`${type} ${obj.metadata?.name}`);
            resolve();
          },
          () => undefined,
        )
        .then((controller) => gotEvent.then(() => controller.abort()));
    });
    await gotEvent;
    await readMany(clients.core, 3);
    expect(seen).toEqual(['ADDED watched']);
    // One connection held by the watch, one for the three reads in a row.
    expect(handshakes).toBe(2);
  });
});

describe('agentKey', () => {
  it('is the same for agents with the same TLS identity and differs when the trust or credentials differ', () => {
    const a = new https.Agent({ ca: 'CA-1', cert: 'C', key: 'K' });
    const b = new https.Agent({ ca: 'CA-1', cert: 'C', key: 'K', timeout: 5 });
    expect(agentKey(a)).toBe(agentKey(b));
    expect(agentKey(new https.Agent({ ca: 'CA-2', cert: 'C', key: 'K' }))).not.toBe(agentKey(a));
    expect(agentKey(new https.Agent({ ca: 'CA-1', cert: 'C', key: 'K2' }))).not.toBe(agentKey(a));
    expect(agentKey(new https.Agent({ ca: Buffer.from('CA-1'), cert: 'C', key: 'K' }))).not.toBe(
      agentKey(new https.Agent({ ca: Buffer.from('CA-3'), cert: 'C', key: 'K' })),
    );
    expect(agentKey(new https.Agent({ ca: 'CA-1', rejectUnauthorized: false }))).not.toBe(
      agentKey(new https.Agent({ ca: 'CA-1' })),
    );
  });

  it('refuses agents of other kinds (proxies), which are then used as they are', () => {
    class ProxyAgent extends https.Agent {}
    const proxy = new ProxyAgent({ ca: 'CA-1' });
    expect(agentKey(proxy)).toBeUndefined();
    expect(new AgentPool().reuse(proxy)).toBe(proxy);
  });
});

describe('AgentPool', () => {
  it('hands out one keep-alive agent per identity and keeps at most maxAgents', () => {
    const pool = new AgentPool({ maxAgents: 2, retireAfterMs: 60_000 });
    const first = pool.reuse(new https.Agent({ ca: 'A' }));
    expect(first).toBeInstanceOf(https.Agent);
    expect((first as https.Agent & { keepAlive?: boolean }).keepAlive).toBe(true);
    expect(pool.reuse(new https.Agent({ ca: 'A' }))).toBe(first);
    pool.reuse(new https.Agent({ ca: 'B' }));
    pool.reuse(new https.Agent({ ca: 'C' }));
    expect(pool.size).toBe(2);
    // 'A' was the oldest: asking for it again makes a new agent.
    expect(pool.reuse(new https.Agent({ ca: 'A' }))).not.toBe(first);
    pool.destroy();
    expect(pool.size).toBe(0);
  });
});
