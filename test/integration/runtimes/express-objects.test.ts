// event.extensions.request and .response in the real Node.js runtime process: an Express-style
// request that is a readable IncomingMessage and the real writable ServerResponse with Express's
// helpers, as the original Kubeless runtime handed them to functions (issue 20, item 2).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { call, ensureNodeRuntimeBuilt, FIXTURES, json, type Runtime, startRuntime } from './harness.js';

let rt: Runtime;
beforeAll(async () => {
  ensureNodeRuntimeBuilt();
  rt = await startRuntime('nodejs', {
    volume: path.join(FIXTURES, 'nodejs'),
    mod: 'express',
    handler: 'route',
  });
}, 30_000);
afterAll(async () => {
  await rt?.stop();
});

/** Logs are written asynchronously: poll for a line for up to 5 s. */
async function logsContain(text: string): Promise<boolean> {
  for (let i = 0; i < 50 && !rt.logs().includes(text); i++) await new Promise((r) => setTimeout(r, 100));
  return rt.logs().includes(text);
}

/** A raw request that reports how the answer ended: complete, or cut by the server. */
function rawCall(url: string): Promise<{ status: number; body: string; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, complete: res.complete }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, complete: false }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, body, complete: false }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')));
    req.end();
  });
}

describe('event.extensions.response is the writable ServerResponse', () => {
  it('takes a stream piped into it (the original hellostream.js), without a second answer', async () => {
    const res = await call(rt, '/stream');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.text).toBe('hello world!');
    // and the process is fine afterwards
    expect((await call(rt, '/plain')).text).toBe('plain');
  });

  it('waits for a piped stream when the handler returns at once', async () => {
    const res = await call(rt, '/pipeAndReturn');
    expect(res.status).toBe(200);
    expect(res.text).toBe('abc');
  });

  it('lets the handler write and end the answer itself, later', async () => {
    const res = await call(rt, '/writeItself');
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.text).toBe('part1 part2');
  });

  it("has Express's send, json, set, sendStatus, redirect and type", async () => {
    const html = await call(rt, '/sendHtml');
    expect(html.status).toBe(201);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.text).toBe('<b>hi</b>');

    const head = await call(rt, '/sendHtml', { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('9');
    expect(head.text).toBe('');

    const sent = await call(rt, '/sendJson');
    expect(sent.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(sent.headers.get('x-a')).toBe('1');
    expect(sent.headers.get('x-b')).toBe('2, 3');
    expect(JSON.parse(sent.text)).toEqual({ ok: true });

    const missing = await call(rt, '/sendStatus');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('Not Found');

    const moved = await call(rt, '/redirect', { redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('/elsewhere?q=a%20b');
    expect(moved.text).toContain('Redirecting to /elsewhere?q=a%20b');

    const typed = await call(rt, '/typed');
    expect(typed.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(typed.text)).toEqual({ typed: true });
  });

  it('keeps the status and headers a handler set for its return value', async () => {
    const res = await call(rt, '/statusThenReturn');
    expect(res.status).toBe(418);
    expect(res.headers.get('x-answer')).toBe('42, 43');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.text)).toEqual({ short: 'and stout' });
  });

  it('keeps an answer sent before the handler threw', async () => {
    const res = await call(rt, '/throwAfterSend');
    expect(res.status).toBe(200);
    expect(res.text).toBe('sent before the exception');
    expect(await logsContain('after sending')).toBe(true);
  });

  it('cuts an answer the handler never ends at FUNC_TIMEOUT, and keeps serving', async () => {
    const res = await rawCall(`${rt.url}/hangingStream`);
    expect(res).toMatchObject({ status: 200, body: 'partial', complete: false });
    expect(await logsContain('function call timed out')).toBe(true);
    expect((await call(rt, '/plain')).text).toBe('plain');
  });

  it('leaves JSON.stringify(event) working once the objects were built', async () => {
    const body = await json(rt, '/serialize?a=1', { headers: { 'x-custom': 'v' } });
    expect(body).toMatchObject({
      data: '',
      extensions: { request: { method: 'GET', url: '/serialize?a=1', headers: { 'x-custom': 'v' } } },
    });
  });
});

describe('event.extensions.request is an Express request over the IncomingMessage', () => {
  it("has Express's helpers and fields, with body as the original's body-parser left it", async () => {
    const body = await json(rt, '/describe/sub?a[b]=1&x=1&x=2', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-custom': 'yes' },
      body: '{"n":1}',
    });
    expect(body).toEqual({
      incomingMessage: true,
      is: { json: 'json', html: false, any: 'application/json' },
      accepts: 'json',
      method: 'POST',
      path: '/describe/sub',
      query: { a: { b: '1' }, x: ['1', '2'] },
      originalUrl: '/describe/sub?a[b]=1&x=1&x=2',
      hostname: '127.0.0.1',
      ip: '127.0.0.1',
      protocol: 'http',
      secure: false,
      header: 'yes',
      headerAlias: 'yes',
      body: { bytes: '{"n":1}' },
    });
    const bodiless = await json(rt, '/describe');
    expect(bodiless).toMatchObject({ is: { json: null }, body: {}, query: {} });
  });

  it('is a readable stream of the body for multipart parsers (the original hello-multipart.js)', async () => {
    const form = new FormData();
    form.append('prop', 'This is a normal prop');
    form.append('file', new Blob(['the file content']), 'input.txt');
    const res = await json(rt, '/upload', { method: 'POST', body: form });
    expect(res.type).toBe('multipart/form-data');
    expect(res.body).toEqual({});
    expect(res.text).toContain('This is a normal prop');
    expect(res.text).toContain('filename="input.txt"');
    expect(res.text).toContain('the file content');

    const plain = await call(rt, '/upload', {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.text).toBe('The request is not multipart.');
  });
});

describe('the helpers cost nothing to a handler that does not use them', () => {
  it('loads no negotiation or MIME library until a handler calls request.is()', async () => {
    const volume = path.join(FIXTURES, 'nodejs');
    const untouched = await startRuntime('nodejs', { volume, mod: 'express', handler: 'untouched' });
    const once = await startRuntime('nodejs', { volume, mod: 'express', handler: 'isOnce' });
    try {
      for (let i = 0; i < 3; i++) expect((await call(untouched, '/')).text).toBe('plain');
      const post = { method: 'POST', body: 'loaded', headers: { 'content-type': 'text/plain' } };
      expect((await call(untouched, '/', post)).text).toBe('0');
      expect(Number((await call(once, '/', post)).text)).toBeGreaterThan(0);
    } finally {
      await untouched.stop();
      await once.stop();
    }
  }, 30_000);
});
