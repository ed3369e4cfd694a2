// The ops endpoints every server component answers the same way: what kubelet and Prometheus see.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { createServer } from 'node:http';
import { opsServer, serveOps } from '../../../lib/server/ops.js';

const registry = new Registry();
new Counter({ name: 'kubeless_test_total', help: 'a test counter', registers: [registry] }).inc(3);
let ready = false;
const server = opsServer({ healthy: () => true, ready: () => ready }, registry);
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('liveness and readiness answer separately, so a syncing instance is alive but gets no traffic', async () => {
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(`${base}/readyz`)).status).toBe(503);
  ready = true;
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
});

test('metrics are served in the Prometheus text format', async () => {
  const res = await fetch(`${base}/metrics`);
  expect(res.headers.get('content-type')).toContain('text/plain');
  expect(await res.text()).toContain('kubeless_test_total 3');
});

test('writes and unknown paths are refused with a hint', async () => {
  expect((await fetch(`${base}/metrics`, { method: 'POST', body: 'x' })).status).toBe(405);
  const res = await fetch(`${base}/nope`);
  expect(res.status).toBe(404);
  expect(await res.text()).toContain('/healthz');
});

test('/livez answers like /healthz; a not-ready reason is in the answer', async () => {
  const livez = await fetch(`${base}/livez`);
  expect([livez.status, await livez.text()]).toEqual([200, 'ok\n']);
  const own = createServer((req, res) => {
    if (!serveOps(req, res, { health: { healthy: () => true, ready: () => 'shutting down' } }))
      res.writeHead(418).end('component route');
  });
  await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
  const at = `http://127.0.0.1:${(own.address() as AddressInfo).port}`;
  try {
    const readyz = await fetch(`${at}/readyz`);
    expect([readyz.status, await readyz.text()]).toEqual([503, 'not ready: shutting down\n']);
    // Without a registry /metrics, like any other path, is the component's own route.
    expect((await fetch(`${at}/metrics`)).status).toBe(418);
    expect((await fetch(`${at}/apis`)).status).toBe(418);
  } finally {
    await new Promise<void>((resolve) => own.close(() => resolve()));
  }
});
