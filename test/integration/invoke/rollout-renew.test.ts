// On a cluster, `kubeless api` reaches a function through its Service, whose address does not change
// when the Function is updated: the pods behind it do. A socket kept from before the rollout would
// carry calls to an old pod, draining but still answering with the old code, after the rollout
// ended (seen as "update, wait for Ready, call: the old answer"). The resolver renews the kept
// connections when the Function's rollout identity changes. Real sockets; the lookups are data.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clusterResolver } from '../../../api/resolver.js';
import type { FunctionInfo } from '../../../api/kube.js';
import type { CachedLookups } from '../../../api/lookups.js';
import { callFunction } from '../../../lib/invoke/call.js';
import { FunctionConnections, type Address } from '../../../lib/invoke/connections.js';

let server: Server;
let port = 0;
let opened = 0;
const info: FunctionInfo = { timeoutSeconds: 5, rollout: '1/1/True/DeploymentAvailable/t0' };

const lookups: CachedLookups = {
  getFunction: async () => info,
  serviceEndpoint: async () => undefined,
  serviceClusterIP: async () => '127.0.0.1',
  forgetService: () => undefined,
};

beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  server.on('connection', () => (opened += 1));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function invoke(connections: FunctionConnections, resolver: ReturnType<typeof clusterResolver>) {
  const r = await resolver.resolve('ns', 'fn');
  if (r.state !== 'ready') throw new Error(`not ready: ${r.state}`);
  const to: Address = r.address;
  const answer = await callFunction(
    connections,
    to,
    { method: 'GET', path: '/', headers: {}, body: Buffer.alloc(0) },
    { timeoutMs: 5000, maxAnswerBytes: 1024 },
  );
  expect(answer.status).toBe(200);
}

test('calls share a kept connection while the rollout identity holds, and a new one after it changes', async () => {
  const connections = new FunctionConnections();
  // The Service port is the test server's, so the resolver's address is where the calls go.
  info.ports = { name: 'http-function-port', servicePort: port, runtimePort: port };
  const resolver = clusterResolver({ lookups, mode: 'cluster-ip', connections });
  opened = 0;
  await invoke(connections, resolver);
  await invoke(connections, resolver);
  expect(opened).toBe(1);

  info.rollout = '2/2/True/DeploymentAvailable/t1';
  await invoke(connections, resolver);
  expect(opened).toBe(2);
  await invoke(connections, resolver);
  expect(opened).toBe(2);
  connections.close();
});
