// The probe and scrape port of the controller and the Kafka trigger: what kubelet and Prometheus see.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { opsServer } from '../../../lib/http/ops-server.js';

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
