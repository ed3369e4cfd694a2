// The real HTTPS server with real TLS: a test CA plays the front proxy, a small HTTP server plays
// kube-apiserver (SubjectAccessReview, Function, Service, pods/log), a real HTTP server the function.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import forge from 'node-forge';
import { pino } from 'pino';
import { createCa, createServingCert, type KeyPair } from '../../../lib/certs/index.js';
import { kubeCluster } from '../../../api/kube.js';
import { loadOpenApi } from '../../../api/discovery.js';
import { createApiServer, type ApiServer } from '../../../api/server.js';

jest.setTimeout(30_000);

interface Answer {
  status: number;
  body: string;
}

function listen(s: Server): Promise<number> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}

// A client-auth certificate like kube-apiserver's --proxy-client-cert-file (lib/certs issues only
// serving ones, whose serverAuth usage TLS rightly refuses for a client).
function clientCert(ca: KeyPair, cn: string): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '0a' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3_600_000);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer(forge.pki.certificateFromPem(ca.cert).subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.key), forge.md.sha256.create());
  return {
    cert: forge.pki.certificateToPem(cert),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

describe('kubeless api over real TLS', () => {
  const reviews: { user: string; groups: string[]; verb: string; subresource: string }[] = [];
  const seenByFunction: IncomingHttpHeaders[] = [];
  // pods/log?follow=true responses the fake apiserver holds open, so a test can write new lines.
  const following: ServerResponse[] = [];
  let fake: Server;
  let fn: Server;
  let api: ApiServer;
  let port: number;
  let serverCa: KeyPair;
  let proxyCa: KeyPair;
  let otherCa: KeyPair;

  function call(
    path: string,
    opts: { method?: string; cert?: KeyPair; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method: opts.method ?? 'GET',
          ca: serverCa.cert,
          servername: 'localhost',
          headers: opts.headers ?? {},
          ...(opts.cert ? { cert: opts.cert.cert, key: opts.cert.key } : {}),
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  beforeAll(async () => {
    fn = createServer((req, res) => {
      seenByFunction.push(req.headers);
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 3000).unref();
        // The runtime's own timeout answer (marked), and a function that answers 408 itself.
        if (req.url === '/runtime-timeout') {
          res.writeHead(408, { 'content-type': 'application/json', 'kubeless-error': 'true' });
          return void res.end(
            JSON.stringify({ error: 'the function did not answer within its timeout of 1s' }),
          );
        }
        if (req.url === '/own-408') return void res.writeHead(408, { 'x-mine': 'yes' }).end('my own 408');
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            path: req.url,
            method: req.method,
            body,
            contentType: req.headers['content-type'],
          }),
        );
      });
    });
    const fnPort = await listen(fn);
    fake = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const json = (code: number, v: unknown): void => {
          res.writeHead(code, { 'content-type': 'application/json' });
          res.end(JSON.stringify(v));
        };
        if (url.pathname === '/apis/authorization.k8s.io/v1/subjectaccessreviews') {
          const sar = JSON.parse(body) as {
            spec: {
              user: string;
              groups: string[];
              resourceAttributes: { verb: string; subresource: string };
            };
          };
          const s = sar.spec;
          reviews.push({
            user: s.user,
            groups: s.groups,
            verb: s.resourceAttributes.verb,
            subresource: s.resourceAttributes.subresource,
          });
          const allowed = s.user === 'alice';
          return json(201, {
            ...sar,
            status: { allowed, reason: allowed ? 'RBAC: allowed' : 'no RBAC policy matched' },
          });
        }
        const fnMatch = /^\/apis\/kubeless\.io\/v1beta1\/namespaces\/default\/functions\/([^/]+)$/.exec(
          url.pathname,
        );
        if (fnMatch) {
          if (fnMatch[1] === 'hello')
            return json(200, {
              apiVersion: 'kubeless.io/v1beta1',
              kind: 'Function',
              // Its Service port is where the API server sends the call (lib/function/ports.ts).
              spec: { timeout: '1', service: { ports: [{ name: 'http-function-port', port: fnPort }] } },
            });
          return json(404, {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            code: 404,
            reason: 'NotFound',
          });
        }
        if (url.pathname === '/api/v1/namespaces/default/services/hello')
          return json(200, { spec: { clusterIP: '127.0.0.1' } });
        if (url.pathname === '/api/v1/namespaces/default/pods') {
          return json(200, {
            items: ['hello-a', 'hello-b'].map((name) => ({
              metadata: { name },
              spec: { containers: [{ name: 'hello' }] },
            })),
          });
        }
        const logMatch = /^\/api\/v1\/namespaces\/default\/pods\/([^/]+)\/log$/.exec(url.pathname);
        if (logMatch) {
          res.writeHead(200, { 'content-type': 'text/plain' });
          if (url.searchParams.get('follow') === 'true') {
            res.write(`following ${logMatch[1] ?? ''}\n`);
            return void following.push(res);
          }
          return void res.end(
            `started ${logMatch[1] ?? ''}\nserved tail=${url.searchParams.get('tailLines') ?? ''}\n`,
          );
        }
        json(404, { kind: 'Status', code: 404 });
      });
    });
    const fakePort = await listen(fake);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${fakePort}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'api-sa-token' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    const now = new Date();
    serverCa = createCa({ commonName: 'api-ca', notBefore: now, lifetimeMs: 3_600_000 });
    proxyCa = createCa({ commonName: 'front-proxy-ca', notBefore: now, lifetimeMs: 3_600_000 });
    otherCa = createCa({ commonName: 'someone-else', notBefore: now, lifetimeMs: 3_600_000 });
    const serving = createServingCert({
      ca: serverCa,
      commonName: 'localhost',
      hosts: ['localhost'],
      notBefore: now,
      lifetimeMs: 3_600_000,
    });
    api = createApiServer({
      cert: serving.cert,
      key: serving.key,
      frontProxy: {
        clientCA: proxyCa.cert,
        allowedNames: ['front-proxy-client'],
        usernameHeaders: ['X-Remote-User'],
        groupHeaders: ['X-Remote-Group'],
        extraHeaderPrefixes: ['X-Remote-Extra-'],
      },
      cluster: kubeCluster(kc),
      openapi: loadOpenApi('openapi/subresources.kubeless.io_v1.yaml'),
      logger: pino({ level: 'silent' }),
      serviceAddress: 'cluster-ip',
      bodyLimitBytes: 1024,
      timeoutMarginSeconds: 0,
      authzCache: { allowedTtlMs: 10_000, deniedTtlMs: 0, maxEntries: 100 },
    });
    port = await listen(api.server as unknown as Server);
  });

  afterAll(async () => {
    api.server.closeAllConnections();
    await api.close();
    fn.closeAllConnections();
    fake.closeAllConnections();
    await new Promise((r) => fn.close(r));
    await new Promise((r) => fake.close(r));
  });

  const INVOKE = '/apis/subresources.kubeless.io/v1/namespaces/default/functions/hello/invoke';
  const alice = { 'X-Remote-User': 'alice', 'X-Remote-Group': 'devs', Authorization: 'Bearer user-token' };

  it('answers 401 without a client certificate and with a certificate from another CA or name', async () => {
    const none = await call(INVOKE, { method: 'POST', headers: alice });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    expect(
      (
        await call(INVOKE, {
          method: 'POST',
          headers: alice,
          cert: clientCert(otherCa, 'front-proxy-client'),
        })
      ).status,
    ).toBe(401);
    const wrongName = await call(INVOKE, {
      method: 'POST',
      headers: alice,
      cert: clientCert(proxyCa, 'intruder'),
    });
    expect(wrongName.status).toBe(401);
    expect(wrongName.body).toContain('requestheader-allowed-names');
  });

  it('invokes the function as the user from the headers, without forwarding credentials', async () => {
    const proxy = clientCert(proxyCa, 'front-proxy-client');
    const res = await call(`${INVOKE}/sub/path?x=1`, {
      method: 'POST',
      cert: proxy,
      headers: { ...alice, 'content-type': 'application/json' },
      body: '{"n":1}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      path: '/sub/path?x=1',
      method: 'POST',
      body: '{"n":1}',
      contentType: 'application/json',
    });
    expect(reviews.at(-1)).toEqual({
      user: 'alice',
      groups: ['devs'],
      verb: 'create',
      subresource: 'invoke',
    });
    const h = seenByFunction.at(-1) ?? {};
    expect(h.authorization).toBeUndefined();
    expect(h['x-remote-user']).toBeUndefined();
    expect(h['event-id']).toBeTruthy();
    expect(h['event-namespace']).toBe('subresources.kubeless.io');

    const bob = await call(INVOKE, { method: 'POST', cert: proxy, headers: { 'X-Remote-User': 'bob' } });
    expect(bob.status).toBe(403);
    expect(JSON.parse(bob.body)).toMatchObject({ reason: 'Forbidden' });
    expect(bob.body).toContain('no RBAC policy matched');
  });

  it('maps a missing Function, a slow one and a big body to Status codes', async () => {
    const proxy = clientCert(proxyCa, 'front-proxy-client');
    const missing = await call(INVOKE.replace('hello', 'nope'), {
      method: 'POST',
      cert: proxy,
      headers: alice,
    });
    expect(missing.status).toBe(404);
    expect((await call(`${INVOKE}/slow`, { cert: proxy, headers: alice })).status).toBe(504);
    const big = await call(INVOKE, { method: 'POST', cert: proxy, headers: alice, body: 'x'.repeat(2048) });
    expect(big.status).toBe(413);
  });

  it('serves discovery and OpenAPI, and merged logs of every pod', async () => {
    const proxy = clientCert(proxyCa, 'front-proxy-client');
    const list = JSON.parse(
      (await call('/apis/subresources.kubeless.io/v1', { cert: proxy, headers: alice })).body,
    ) as { resources: { name: string }[] };
    expect(list.resources.map((r) => r.name)).toEqual([
      'functions',
      'functions/invoke',
      'functions/log',
      'functions/logs',
    ]);
    const v3 = JSON.parse(
      (await call('/openapi/v3/apis/subresources.kubeless.io/v1', { cert: proxy, headers: alice })).body,
    ) as { openapi: string };
    expect(v3.openapi).toMatch(/^3\./);
    const logs = await call(
      '/apis/subresources.kubeless.io/v1/namespaces/default/functions/hello/log?tailLines=2',
      { cert: proxy, headers: alice },
    );
    expect(logs.status).toBe(200);
    expect(logs.body.split('\n').filter(Boolean).sort()).toEqual([
      '[hello-a/hello] served tail=2',
      '[hello-a/hello] started hello-a',
      '[hello-b/hello] served tail=2',
      '[hello-b/hello] started hello-b',
    ]);
    const metrics = await call('/metrics');
    expect(metrics.body).toMatch(/kubeless_api_invocations_total\{code="200"\} 1/);
  });
  it("streams new lines of every pod while follow=true, and ends when the pods' streams end", async () => {
    const proxy = clientCert(proxyCa, 'front-proxy-client');
    let seen = '';
    let ended = false;
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/apis/subresources.kubeless.io/v1/namespaces/default/functions/hello/log?follow=true',
        ca: serverCa.cert,
        servername: 'localhost',
        headers: alice,
        cert: proxy.cert,
        key: proxy.key,
      },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (c: string) => (seen += c));
        res.on('end', () => (ended = true));
      },
    );
    req.end();
    const until = async (what: string, ok: () => boolean): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (!ok()) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(seen)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until('both pods to be followed', () => following.length === 2);
    await until('the first lines', () => seen.includes('[hello-b/hello] following hello-b'));
    // A line written after the request started must arrive while the response is still open.
    for (const r of following) r.write('new line\n');
    await until('the new lines', () => (seen.match(/\] new line/g) ?? []).length === 2);
    expect(ended).toBe(false);
    expect(seen).toContain('[hello-a/hello] new line');
    for (const r of following.splice(0)) r.end();
    await until('the response to end', () => ended);
  });

  // After the metrics test, which counts the 200 answers so far.
  it('delivers a body without a content type as JSON when it is JSON, and as it came otherwise', async () => {
    const proxy = clientCert(proxyCa, 'front-proxy-client');
    const json = await call(INVOKE, { method: 'POST', cert: proxy, headers: alice, body: '{"n":2}' });
    expect(JSON.parse(json.body)).toMatchObject({ body: '{"n":2}', contentType: 'application/json' });
    const text = await call(INVOKE, { method: 'POST', cert: proxy, headers: alice, body: 'plain words' });
    expect(JSON.parse(text.body)).toMatchObject({ body: 'plain words' });
    expect(JSON.parse(text.body).contentType).toBeUndefined();
    const over = await call(INVOKE, { method: 'POST', cert: proxy, headers: alice, body: '1'.repeat(2048) });
    expect(over.status).toBe(413);
  });

  it("turns the runtime's own error answer into a Status, and passes the function's own through", async () => {
    const proxy = clientCert(proxyCa, 'front-proxy-client');
    const timeout = await call(`${INVOKE}/runtime-timeout`, { cert: proxy, headers: alice });
    expect(timeout.status).toBe(408);
    expect(JSON.parse(timeout.body)).toEqual({
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      code: 408,
      reason: 'Timeout',
      message: 'function default/hello: the function did not answer within its timeout of 1s',
      details: { name: 'hello', group: 'kubeless.io', kind: 'functions' },
    });
    const own = await call(`${INVOKE}/own-408`, { cert: proxy, headers: alice });
    expect(own).toEqual({ status: 408, body: 'my own 408' });
  });
});
