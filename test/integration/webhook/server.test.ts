// The real HTTPS server with real TLS (a CA from lib/certs), the real shared model, real requests.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import { pino } from 'pino';
import { createApp } from '../../../webhook/app.js';
import type { ClusterReader } from '../../../webhook/cluster-checks.js';
import { createMetrics } from '../../../webhook/metrics.js';
import { listenHttps, type HttpsHandle } from '../../../webhook/server.js';
import { sharedModel } from '../../../webhook/shared-model.js';
import { admissionReview, functionRequest, issue, request, validSpec } from './helpers.js';

const first = issue();
let server: HttpsHandle;
let slowReader = false;
const reader: ClusterReader = {
  secretExists: async (_ns, name) => name === 'present',
  // The slow path stands in for an apiserver that does not answer in time.
  httpTriggers: () => (slowReader ? new Promise(() => undefined) : Promise.resolve([])),
};

beforeAll(async () => {
  const metrics = createMetrics(false);
  const app = createApp({
    model: sharedModel(),
    reader,
    metrics,
    logger: pino({ level: 'silent' }),
    bodyLimitBytes: 3 * 1024 * 1024,
    lookupTimeoutMs: 300,
    ready: () => true,
  });
  server = await listenHttps(app, {
    host: '127.0.0.1',
    port: 0,
    pair: first,
    metrics,
    requestTimeoutMs: 5000,
  });
});

afterAll(async () => {
  await server.close();
});

const post = (path: string, body: string | Buffer, ca = first.caBundle) =>
  request(server.port, path, { ca, body });

describe('admission over real TLS', () => {
  test('mutate echoes the uid and answers a base64 JSON Patch with the defaults', async () => {
    const res = await post('/mutate', admissionReview(functionRequest('uid-42', validSpec)));
    expect(res.status).toBe(200);
    const review = res.json() as {
      apiVersion: string;
      kind: string;
      response: { uid: string; allowed: boolean; patch: string; patchType: string };
    };
    expect(review).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' });
    expect(review.response).toMatchObject({ uid: 'uid-42', allowed: true, patchType: 'JSONPatch' });
    const ops = JSON.parse(Buffer.from(review.response.patch, 'base64').toString()) as {
      path: string;
      value: unknown;
    }[];
    expect(ops).toContainEqual({ op: 'add', path: '/spec/timeout', value: '180' });
  });

  test('validate denies an invalid Function with the field and the fix', async () => {
    const res = await post(
      '/validate',
      admissionReview(functionRequest('uid-7', { ...validSpec, handler: 'no-dot' })),
    );
    const { response } = res.json() as {
      response: {
        uid: string;
        allowed: boolean;
        status: { code: number; message: string; details: { causes: { field: string }[] } };
      };
    };
    expect(response.uid).toBe('uid-7');
    expect(response.allowed).toBe(false);
    expect(response.status.code).toBe(422);
    expect(response.status.message).toMatch(/spec\.handler.*fix:/);
    expect(response.status.details.causes.map((c) => c.field)).toContain('spec.handler');
  });

  test('dryRun requests get the same answer (the webhook has no side effects to skip)', async () => {
    const res = await post(
      '/validate',
      admissionReview(functionRequest('uid-d', validSpec, { dryRun: true })),
    );
    expect((res.json() as { response: { allowed: boolean } }).response.allowed).toBe(true);
  });

  test('a DELETE of an invalid object is let through', async () => {
    const body = admissionReview(
      functionRequest(
        'uid-del',
        { handler: 'broken' },
        { operation: 'DELETE', object: null, oldObject: { spec: {} } },
      ),
    );
    expect(
      ((await post('/validate', body)).json() as { response: { allowed: boolean } }).response.allowed,
    ).toBe(true);
  });

  test('an HTTPTrigger naming a Secret that does not exist is denied; the lookup is real I/O behind an interface', async () => {
    const req = {
      ...functionRequest('uid-h', {}),
      kind: { group: 'kubeless.io', version: 'v1beta1', kind: 'HTTPTrigger' },
      object: {
        apiVersion: 'kubeless.io/v1beta1',
        kind: 'HTTPTrigger',
        metadata: { name: 'route', namespace: 'it' },
        spec: {
          'function-name': 'hello',
          'host-name': 'a.example.com',
          path: 'x',
          'basic-auth-secret': 'absent',
        },
      },
    };
    const { response } = (await post('/validate', admissionReview(req))).json() as {
      response: { allowed: boolean; status: { message: string } };
    };
    expect(response.allowed).toBe(false);
    expect(response.status.message).toContain('spec.basic-auth-secret');
    expect(response.status.message).toContain('"absent" does not exist');
  });

  test('a lookup that does not finish in time is denied with 504 and a remedy, not left hanging', async () => {
    slowReader = true;
    try {
      const req = {
        ...functionRequest('uid-slow', {}),
        kind: { group: 'kubeless.io', version: 'v1beta1', kind: 'HTTPTrigger' },
        object: { metadata: { name: 'r', namespace: 'it' }, spec: { 'function-name': 'hello', path: 'y' } },
      };
      const started = Date.now();
      const { response } = (await post('/validate', admissionReview(req))).json() as {
        response: { allowed: boolean; status: { code: number; message: string } };
      };
      expect(Date.now() - started).toBeLessThan(4000);
      expect(response).toMatchObject({ allowed: false, status: { code: 504 } });
      expect(response.status.message).toMatch(/retry/);
    } finally {
      slowReader = false;
    }
  });
});

describe('bad requests', () => {
  test('invalid JSON is a 400 Status', async () => {
    const res = await post('/mutate', '{"apiVersion": ');
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
  });

  test('a body over the limit is a 413 Status', async () => {
    const big = admissionReview(
      functionRequest('uid-big', { ...validSpec, function: 'x'.repeat(3 * 1024 * 1024) }),
    );
    const res = await post('/validate', big);
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ kind: 'Status', code: 413, reason: 'RequestEntityTooLarge' });
  });

  test('a review with a uid but a wrong shape is denied in-band so the apiserver can match it', async () => {
    const res = await post('/validate', admissionReview({ uid: 'u-bad', operation: 'EXPLODE' }));
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ response: { uid: 'u-bad', allowed: false, status: { code: 400 } } });
  });
});

test('health, readiness and metrics', async () => {
  expect((await request(server.port, '/healthz', { ca: first.caBundle })).status).toBe(200);
  expect((await request(server.port, '/readyz', { ca: first.caBundle })).status).toBe(200);
  const metrics = await request(server.port, '/metrics', { ca: first.caBundle });
  expect(metrics.body).toMatch(
    /kubeless_webhook_admissions_total\{endpoint="validate",kind="Function",operation="CREATE",allowed="false",dry_run="false"\} \d+/,
  );
  expect(metrics.body).toContain('kubeless_webhook_certificate_expiry_timestamp_seconds');
});

test('a new certificate is served to new connections without a restart; open connections keep working', async () => {
  const keepAlive = new https.Agent({ keepAlive: true, maxSockets: 1, ca: `${first.caBundle}` });
  const before = await request(server.port, '/healthz', { ca: first.caBundle, agent: keepAlive });
  expect(before.peerFingerprint).toBe(new X509Certificate(first.tlsCert).fingerprint256);

  const second = issue();
  server.setCertificate(second);

  // The established connection still answers (it finished its handshake with the old pair).
  expect((await request(server.port, '/healthz', { ca: first.caBundle, agent: keepAlive })).status).toBe(200);
  // A new connection gets the new certificate and verifies against the new CA only.
  const after = await request(server.port, '/healthz', { ca: second.caBundle });
  expect(after.peerFingerprint).toBe(new X509Certificate(second.tlsCert).fingerprint256);
  await expect(request(server.port, '/healthz', { ca: first.caBundle })).rejects.toThrow(
    /self[- ]signed|unable to verify|certificate/i,
  );
  keepAlive.destroy();
  server.setCertificate(first);
}, 30_000);
