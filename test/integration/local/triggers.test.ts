// Triggers on the local platform, with real Node.js runtime processes: a CronJobTrigger firing
// every second shows up in the function's log, HTTPTriggers route by path and host through the
// gateway port, and deleting a trigger stops it. Every wait polls against a deadline.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { pino } from 'pino';
import { startPlatform, type Platform } from '../../../local/platform.js';
import { call, FN_PATH, nodeFunction, readyOf, SUB_PATH, tmpDataDir, waitFor } from './helpers.js';

let platform: Platform;
let base = '';
let gateway = '';
let dataDir = '';
const NS = 'default';
const API = `${FN_PATH}/${NS}`;

const ECHO = `
module.exports.handler = (event) => {
  console.log('got', event['event-namespace'], event['event-type'], JSON.stringify(event.data));
  const r = event.extensions.request;
  return { fn: process.env.FUNC_NAME, path: r.path, query: r.query, greeting: process.env.GREETING ?? null, host: r.headers.host, auth: r.headers.authorization ?? null, eventId: event['event-id'] };
};`;

function withEnv(name: string, env: Array<Record<string, unknown>>): Record<string, unknown> {
  return nodeFunction(name, ECHO, {
    deployment: { spec: { template: { spec: { containers: [{ env }] } } } },
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function logOf(name: string): Promise<string> {
  return (await call(base, 'GET', `${SUB_PATH}/${NS}/functions/${name}/log`)).text;
}

function count(text: string, needle: string): number {
  return text.split('\n').filter((l) => l.includes(needle)).length;
}

/** node:http, because fetch does not let a caller set the Host header. */
function viaGateway(path: string, host?: string, body?: Buffer): Promise<{ status: number; text: string }> {
  const url = new URL(gateway);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: body ? 'POST' : 'GET',
        headers: host ? { host } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function triggerReady(plural: string, name: string): Promise<{ reason: string; message: string }> {
  return until(`${plural}/${name} to report a Ready condition`, async () => {
    const t = await call(base, 'GET', `${API}/${plural}/${name}`);
    return readyOf(t.body);
  });
}

beforeAll(async () => {
  dataDir = tmpDataDir();
  platform = await startPlatform({
    port: 0,
    dataDir,
    logger: pino({ level: 'silent' }),
    poolSize: 1,
    startWaitMs: 60_000,
  });
  base = platform.url;
  gateway = platform.gatewayUrl;
  for (const fn of [
    withEnv('ticker', []),
    withEnv('web', [{ name: 'GREETING', value: 'hello from --env' }]),
    withEnv('api', []),
  ]) {
    expect((await call(base, 'POST', `${API}/functions`, fn)).status).toBe(201);
  }
  for (const name of ['ticker', 'web', 'api'])
    await waitFor(base, NS, name, (f) => readyOf(f)?.status === 'True', 120_000);
}, 180_000);

afterAll(async () => {
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('CronJobTrigger', () => {
  it('calls the function every second with the event headers and payload, visible in its log', async () => {
    const created = await call(base, 'POST', `${API}/cronjobtriggers`, {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 'tick' },
      spec: { 'function-name': 'ticker', schedule: '@every 1s', payload: { n: 1 } },
    });
    expect(created.status).toBe(201);
    // Three calls, so it is a schedule and not a one-off at creation.
    const log = await until('three cron calls in the log', async () => {
      const text = await logOf('ticker');
      return count(text, 'got cronjobtrigger.kubeless.io application/json {"n":1}') >= 3 ? text : undefined;
    });
    expect(log).toMatch(/cronjobtrigger default\/tick: called \(event-id [0-9a-f-]{36}\): 200 in \d+ ms/);
    const ready = await triggerReady('cronjobtriggers', 'tick');
    expect(ready).toMatchObject({ status: 'True', reason: 'Applied' });
    expect(ready.message).toContain('@every 1s');
  });

  it('stops firing once deleted', async () => {
    // A second trigger keeps firing and serves as the clock: no fixed sleep decides the result.
    await call(base, 'POST', `${API}/cronjobtriggers`, {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 'clock' },
      spec: { 'function-name': 'ticker', schedule: '@every 1s', payload: 'clock' },
    });
    expect((await call(base, 'DELETE', `${API}/cronjobtriggers/tick`)).status).toBe(200);
    const before = count(await logOf('ticker'), 'default/tick: called');
    const clockBefore = count(await logOf('ticker'), 'default/clock: called');
    const after = await until('three more firings of the other trigger', async () => {
      const text = await logOf('ticker');
      return count(text, 'default/clock: called') >= clockBefore + 3 ? text : undefined;
    });
    // At most a call that was already on its way when the delete was answered.
    expect(count(after, 'default/tick: called')).toBeLessThanOrEqual(before + 1);
    await call(base, 'DELETE', `${API}/cronjobtriggers/clock`);
  });

  it('reports FunctionNotFound until the Function exists, then Ready', async () => {
    await call(base, 'POST', `${API}/cronjobtriggers`, {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 'early' },
      spec: { 'function-name': 'later', schedule: '0 * * * *', timeZone: 'Europe/Berlin' },
    });
    expect(await triggerReady('cronjobtriggers', 'early')).toMatchObject({
      status: 'False',
      reason: 'FunctionNotFound',
    });
    await call(base, 'POST', `${API}/functions`, withEnv('later', []));
    await until('the trigger to become Ready', async () => {
      const t = await call(base, 'GET', `${API}/cronjobtriggers/early`);
      return readyOf(t.body)?.status === 'True' ? true : undefined;
    });
    await call(base, 'DELETE', `${API}/cronjobtriggers/early`);
    await call(base, 'DELETE', `${API}/functions/later`);
  });

  it('refuses a six-field schedule and points to @every', async () => {
    const r = await call<{ message: string }>(base, 'POST', `${API}/cronjobtriggers`, {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 'secs' },
      spec: { 'function-name': 'ticker', schedule: '* * * * * *' },
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('spec.schedule');
    expect(r.body.message).toContain('@every 1s');
  });
});

describe('HTTPTrigger gateway', () => {
  it('routes a path prefix to the function, passing the full path, query and --env', async () => {
    await call(base, 'POST', `${API}/httptriggers`, {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'HTTPTrigger',
      metadata: { name: 'web' },
      spec: { 'function-name': 'web', path: 'hello' },
    });
    const res = await until('the route to serve', async () => {
      const r = await viaGateway('/hello/there?x=1');
      return r.status === 200 ? r : undefined;
    });
    expect(JSON.parse(res.text)).toMatchObject({
      fn: 'web',
      path: '/hello/there',
      query: { x: '1' },
      greeting: 'hello from --env',
    });
    // Whole path elements only, as an Ingress Prefix path.
    const other = await viaGateway('/helloworld');
    expect(other.status).toBe(404);
    expect(other.text).toContain('no HTTPTrigger matches host');
    expect(other.text).toContain('/helloworld');
    expect((await triggerReady('httptriggers', 'web')).message).toContain(gateway);
  });

  it('routes by Host header, the host-specific trigger winning over the any-host one', async () => {
    await call(base, 'POST', `${API}/httptriggers`, {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'HTTPTrigger',
      metadata: { name: 'api' },
      spec: { 'function-name': 'api', 'host-name': 'api.example.com', path: '/hello' },
    });
    const res = await until('the host route to serve', async () => {
      const r = await viaGateway('/hello', 'api.example.com:8081');
      return r.status === 200 && r.text.includes('"fn":"api"') ? r : undefined;
    });
    expect(JSON.parse(res.text)).toMatchObject({ fn: 'api', path: '/hello' });
    expect(JSON.parse((await viaGateway('/hello', 'other.example.com')).text)).toMatchObject({ fn: 'web' });
    expect((await viaGateway('/nothing', 'api.example.com')).status).toBe(404);
  });

  it('answers 503 with the reason when the function cannot serve', async () => {
    await call(base, 'POST', `${API}/functions`, nodeFunction('broken', 'throw new Error("boom at load");'));
    await call(base, 'POST', `${API}/httptriggers`, {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'HTTPTrigger',
      metadata: { name: 'broken' },
      spec: { 'function-name': 'broken', path: '/broken' },
    });
    await waitFor(base, NS, 'broken', (f) => readyOf(f)?.reason === 'LoadError', 120_000);
    const r = await viaGateway('/broken');
    expect(r.status).toBe(503);
    expect(r.text).toContain('LoadError');
    expect(r.text).toContain('boom at load');
  });

  it('stops routing once the trigger is deleted', async () => {
    expect((await call(base, 'DELETE', `${API}/httptriggers/web`)).status).toBe(200);
    const r = await until('the route to go', async () => {
      const g = await viaGateway('/hello/there', 'other.example.com');
      return g.status === 404 ? g : undefined;
    });
    expect(r.text).toContain('no HTTPTrigger matches');
    // The other host's route is untouched.
    expect((await viaGateway('/hello', 'api.example.com')).status).toBe(200);
  });

  it('refuses a body over the 1 MiB limit with 413 and keeps serving', async () => {
    const big = await viaGateway('/hello', 'api.example.com', Buffer.alloc(1024 * 1024 + 1, 97));
    expect(big.status).toBe(413);
    expect(big.text).toContain('1048576-byte limit');
    expect((await viaGateway('/hello', 'api.example.com', Buffer.from('{}'))).status).toBe(200);
  });
});

describe('invoke subresource, with the request rules of the aggregated API server', () => {
  it('keeps credentials from the function and a CloudEvents id as the event id', async () => {
    const r = await call<{ auth: string | null; eventId: string }>(
      base,
      'POST',
      `${SUB_PATH}/${NS}/functions/api/invoke`,
      { x: 1 },
      { authorization: 'Bearer secret', 'ce-id': 'ce-42', 'ce-type': 'com.example.t', 'ce-source': '/s' },
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ auth: null, eventId: 'ce-42' });
  });

  it('answers 400 for a log query the API server refuses', async () => {
    const r = await call<{ message: string }>(
      base,
      'GET',
      `${SUB_PATH}/${NS}/functions/api/log?tailLines=-1`,
    );
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('tailLines');
  });
});
