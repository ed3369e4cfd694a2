// `kubeless api --cert-dir`: a renewed certificate in the mounted directory (cert-manager, the
// chart's Secret) is served to new connections without a restart, and a half-written update is not.
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createCa, createServingCert, type KeyPair } from '../../../lib/certs/index.js';
import type { Cluster } from '../../../api/kube.js';
import { runApi, type RunningApi } from '../../../api/run.js';

jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'kubeless-api-certs-'));
let running: RunningApi;

function issue(cn: string): { ca: KeyPair; pair: KeyPair } {
  const now = new Date();
  const ca = createCa({ commonName: cn, notBefore: now, lifetimeMs: 3_600_000 });
  const pair = createServingCert({
    ca,
    commonName: 'localhost',
    hosts: ['localhost'],
    notBefore: now,
    lifetimeMs: 3_600_000,
  });
  return { ca, pair };
}

function write(m: { ca: KeyPair; pair: KeyPair }, parts: 'both' | 'cert-only' = 'both'): void {
  writeFileSync(join(dir, 'tls.crt'), m.pair.cert);
  if (parts === 'both') writeFileSync(join(dir, 'tls.key'), m.pair.key);
  writeFileSync(join(dir, 'ca.crt'), m.ca.cert);
}

/** Whether a TLS handshake trusting only `ca` succeeds. */
function trusts(ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port: running.port, ca, servername: 'localhost' }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Only the front-proxy configuration is read at start; nothing here reaches a Function.
const cluster: Cluster = {
  review: () => Promise.reject(new Error('not used')),
  getFunction: () => Promise.resolve(undefined),
  serviceClusterIP: () => Promise.resolve(undefined),
  serviceEndpoint: () => Promise.resolve(undefined),
  functionPods: () => Promise.resolve([]),
  podLog: () => Promise.reject(new Error('not used')),
  frontProxyConfig: () =>
    Promise.resolve({
      clientCA: issue('front-proxy-ca').ca.cert,
      allowedNames: [],
      usernameHeaders: ['X-Remote-User'],
      groupHeaders: ['X-Remote-Group'],
      extraHeaderPrefixes: ['X-Remote-Extra-'],
    }),
};

const first = issue('first-ca');
const second = issue('second-ca');
const third = issue('third-ca');

beforeAll(async () => {
  write(first);
  running = await runApi(
    {
      host: '127.0.0.1',
      port: 0,
      certDir: dir,
      certHosts: [],
      serviceAddress: 'cluster-ip',
      bodyLimitBytes: 1024,
      frontProxyRefreshMs: 60_000,
      certRefreshMs: 100,
    },
    pino({ level: 'silent' }),
    cluster,
  );
});

afterAll(async () => {
  await running.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('serves the certificate from --cert-dir and publishes its CA', async () => {
  expect(running.caBundle).toBe(first.ca.cert);
  expect(await trusts(first.ca.cert)).toBe(true);
  expect(await trusts(second.ca.cert)).toBe(false);
});

it('serves a renewed certificate to new connections without a restart', async () => {
  write(second);
  await until('the renewed certificate', () => trusts(second.ca.cert));
  expect(await trusts(first.ca.cert)).toBe(false);
});

it('keeps the last good pair while the directory holds a certificate without its key', async () => {
  write(third, 'cert-only');
  // Several polls see the mismatched pair; the server must keep answering with the second one.
  await new Promise((r) => setTimeout(r, 500));
  expect(await trusts(second.ca.cert)).toBe(true);
  write(third);
  await until('the third certificate', () => trusts(third.ca.cert));
});
