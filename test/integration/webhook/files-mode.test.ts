// `kubeless webhook --cert-mode=cert-manager` as a real process: it serves the mounted certificate
// and picks up a renewed one (as cert-manager writes it) without a restart.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admissionReview, functionRequest, issue, request, validSpec } from './helpers.js';
import { startWebhookProcess, type WebhookProcess } from './process.js';

let dir: string;
let proc: WebhookProcess;
const first = issue();

// Like the kubelet: write the new files elsewhere, then swap them in with a rename.
function mount(pair: { tlsCert: string; tlsKey: string; caBundle: string }): void {
  const staging = mkdtempSync(join(dir, '..data-'));
  writeFileSync(join(staging, 'tls.crt'), pair.tlsCert);
  writeFileSync(join(staging, 'tls.key'), pair.tlsKey);
  writeFileSync(join(staging, 'ca.crt'), pair.caBundle);
  for (const f of ['tls.crt', 'tls.key', 'ca.crt']) renameSync(join(staging, f), join(dir, f));
  rmSync(staging, { recursive: true });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'webhook-certs-'));
  mount(first);
  proc = await startWebhookProcess([
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--cert-mode',
    'cert-manager',
    '--cert-dir',
    dir,
    '--cert-check-interval',
    '1s',
    '--no-cluster-checks',
    '--catalog-configmap',
    '',
  ]);
}, 90_000);

afterAll(async () => {
  await proc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('serves the mounted certificate, then a renewed one without restarting', async () => {
  const res = await request(proc.port, '/validate', {
    ca: first.caBundle,
    body: admissionReview(functionRequest('u1', validSpec)),
  });
  expect(res.peerFingerprint).toBe(new X509Certificate(first.tlsCert).fingerprint256);
  expect(res.json()).toMatchObject({ response: { uid: 'u1', allowed: true } });

  const renewed = issue();
  mount(renewed);
  const deadline = Date.now() + 20_000;
  let served = '';
  while (Date.now() < deadline) {
    served = (
      await request(proc.port, '/healthz', { ca: renewed.caBundle }).catch(() => ({ peerFingerprint: '' }))
    ).peerFingerprint;
    if (served) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(served).toBe(new X509Certificate(renewed.tlsCert).fingerprint256);
  expect(proc.child.exitCode).toBeNull();
  expect(proc.logs().some((l) => l.includes('serving certificate reloaded'))).toBe(true);
}, 60_000);

test('a missing certificate directory stops start-up with the path and the remedy', async () => {
  await expect(
    startWebhookProcess([
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--cert-mode',
      'files',
      '--cert-dir',
      join(dir, 'absent'),
      '--no-cluster-checks',
      '--catalog-configmap',
      '',
    ]),
  ).rejects.toThrow(/cannot read tls\.crt\/tls\.key in .*absent.*--cert-dir/);
}, 60_000);

test('bad flags are refused with the fix and exit code 2', async () => {
  await expect(startWebhookProcess(['--cert-mode', 'vault'])).rejects.toThrow(
    /exited 2.*use self, cert-manager or files/s,
  );
}, 60_000);
