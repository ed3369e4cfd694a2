// postOnce against real HTTP servers on 127.0.0.1: what a Kafka delivery learns from one call
// (success, failure with the function's words, "not now", nothing listening, a deadline, an
// abandoned call), that calls share kept-alive connections instead of one per record (with the
// process's other callers of functions), and that a kept connection closing under a record costs
// no attempt.
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { closeFunctionConnections, postOnce } from '../../../kafka/http.js';
import { callFunction } from '../../../lib/invoke/call.js';
import { FunctionConnections } from '../../../lib/invoke/connections.js';
import { freePort } from '../../kafka/broker.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise<void>((r) => s.close(() => r()));
    }),
  );
});
afterAll(() => closeFunctionConnections());

async function serve(
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<{ url: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s) => sockets.add(s));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

describe('postOnce', () => {
  test('sends the body and headers to the URL path and reports a 2xx as delivered', async () => {
    let seen: { path?: string; body?: string; id?: string; length?: string } = {};
    const fn = await serve((req, res, body) => {
      seen = {
        path: req.url,
        body,
        id: req.headers['event-id'] as string,
        length: req.headers['content-length'],
      };
      res.end('ok');
    });
    const r = await postOnce(`${fn.url}/ns/fn?x=1`, Buffer.from('{"a":1}'), { 'event-id': 't:0:7' }, 5000);
    expect(r).toEqual({ ok: true, status: 200, retryable: false });
    expect(seen).toEqual({ path: '/ns/fn?x=1', body: '{"a":1}', id: 't:0:7', length: '7' });
  });

  test("a failure carries the status and the function's words; 4xx is final, 5xx retryable", async () => {
    const fn = await serve((req, res) => {
      res.statusCode = req.url === '/bad' ? 400 : 500;
      res.end(`${'x'.repeat(3000)}`);
    });
    const bad = await postOnce(`${fn.url}/bad`, Buffer.alloc(0), {}, 5000);
    expect(bad).toMatchObject({ ok: false, status: 400, retryable: false });
    // The dead-letter header keeps 1 KiB of the answer, not all of it.
    expect(bad.error).toBe(`HTTP 400: ${'x'.repeat(1024)}`);
    expect(await postOnce(`${fn.url}/boom`, Buffer.alloc(0), {}, 5000)).toMatchObject({
      ok: false,
      status: 500,
      retryable: true,
    });
  });

  test('429 and 503 are back-pressure, with Retry-After in milliseconds', async () => {
    const fn = await serve((_req, res) => res.writeHead(503, { 'retry-after': '2' }).end('busy'));
    expect(await postOnce(fn.url, Buffer.alloc(0), {}, 5000)).toMatchObject({
      ok: false,
      status: 503,
      backpressure: true,
      retryAfterMs: 2000,
      error: 'HTTP 503: busy',
    });
  });

  test('nothing listening is back-pressure (the function is not up yet), not a failed attempt', async () => {
    const port = await freePort();
    const r = await postOnce(`http://127.0.0.1:${port}/`, Buffer.alloc(0), {}, 5000);
    expect(r).toMatchObject({ ok: false, retryable: true, backpressure: true });
    expect(r.error).toContain(`POST http://127.0.0.1:${port}/`);
  });

  test('no answer within the deadline settles as a retryable failure', async () => {
    const fn = await serve(() => undefined);
    const started = Date.now();
    const r = await postOnce(fn.url, Buffer.alloc(0), {}, 200);
    expect(r).toEqual({ ok: false, error: `no answer from ${fn.url} within 200 ms`, retryable: true });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('an abandoned call settles at once and is not retryable', async () => {
    const fn = await serve(() => undefined);
    const ac = new AbortController();
    const p = postOnce(fn.url, Buffer.alloc(0), {}, 60_000, ac.signal);
    setTimeout(() => ac.abort(), 50);
    expect(await p).toMatchObject({ ok: false, retryable: false });
  });

  test('an invalid URL is a final failure naming it', async () => {
    expect(await postOnce('not a url', Buffer.alloc(0), {}, 1000)).toEqual({
      ok: false,
      error: 'invalid function URL "not a url"',
      retryable: false,
    });
  });

  test('calls reuse kept-alive connections: 200 calls, 8 at a time, open a handful', async () => {
    const fn = await serve((_req, res) => res.end('ok'));
    let next = 0;
    const results = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const oks: boolean[] = [];
        while (next++ < 200) oks.push((await postOnce(fn.url, Buffer.from('x'), {}, 5000)).ok);
        return oks;
      }),
    );
    expect(results.flat().filter(Boolean)).toHaveLength(200);
    // The pool may open a few more than 8 while a finished call's connection is marked free.
    expect(fn.sockets.size).toBeLessThanOrEqual(16);
  });

  test('a record sent on a kept connection the function closes at that moment goes again on a new one', async () => {
    // The function's side ends a kept connection just as the next record arrives on it (a pod
    // draining in a rollout, its keep-alive timeout): that record never reached the handler.
    const served = new WeakMap<Socket, number>();
    let handled = 0;
    let closedUnder = 0;
    const fn = await serve((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n > 1) {
        closedUnder += 1;
        req.socket.destroy();
        return;
      }
      handled += 1;
      res.end('ok');
    });
    const connections = new FunctionConnections();
    try {
      const send = () => postOnce(fn.url, Buffer.from('x'), {}, 5000, undefined, connections);
      expect(await send()).toEqual({ ok: true, status: 200, retryable: false });
      // Goes out on the kept connection, which is closed under it, then on a new one.
      expect(await send()).toEqual({ ok: true, status: 200, retryable: false });
      expect({ handled, closedUnder, sockets: fn.sockets.size }).toEqual({
        handled: 2,
        closedUnder: 1,
        sockets: 2,
      });
    } finally {
      connections.close();
    }
  });

  test("deliveries use the connections they are given: the process's other callers' kept sockets", async () => {
    const fn = await serve((_req, res) => res.end('ok'));
    const connections = new FunctionConnections();
    try {
      const port = Number(new URL(fn.url).port);
      // Another caller of the process (the local platform's invoke, a CronJob) called first.
      const answer = await callFunction(
        connections,
        { host: '127.0.0.1', port },
        { method: 'POST', path: '/', headers: {}, body: Buffer.from('x') },
        { timeoutMs: 5000, maxAnswerBytes: 1024 },
      );
      expect(answer.status).toBe(200);
      for (let i = 0; i < 5; i += 1) {
        expect((await postOnce(fn.url, Buffer.from('x'), {}, 5000, undefined, connections)).ok).toBe(true);
      }
      expect(fn.sockets.size).toBe(1);
    } finally {
      connections.close();
    }
  });
});
