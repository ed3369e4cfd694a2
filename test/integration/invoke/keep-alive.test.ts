// The invoke proxy's connections to a function (lib/invoke), against real HTTP servers: calls
// share kept connections, and a kept connection that the function's side closes just as a call is
// written on it (a runtime draining for a rollout) costs no call: it is sent again on a new one.
// A call that dies on a new connection is the function failing, and is not sent twice.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pino } from 'pino';
import { FunctionConnections } from '../../../lib/invoke/connections.js';
import { createInvokeProxy, type ProxyMode } from '../../../lib/invoke/proxy.js';

type Mode = 'normal' | 'close-reused' | 'close-always' | 'drain';

let mode: Mode = 'normal';
const connections = new Set<Socket>();
/** Requests the function's code ran (read the whole body of), by body. */
const ran: string[] = [];
let fn: Server;
let front: Server;
let pool: FunctionConnections;
const retries: (string | undefined)[] = [];

function listen(s: Server): Promise<number> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}

function start(proxyMode: ProxyMode, fnPort: number): Promise<number> {
  const proxy = createInvokeProxy({
    resolver: {
      resolve: async () => ({
        state: 'ready',
        address: { host: '127.0.0.1', port: fnPort },
        timeoutSeconds: 5,
      }),
    },
    connections: pool,
    mode: proxyMode,
    bodyLimitBytes: 1024 * 1024,
    deadlineMarginSeconds: 1,
    logger: pino({ level: 'silent' }),
    onRetry: (code) => retries.push(code),
  });
  front = createServer((req, res) => {
    void proxy.handle(req, res, { namespace: 'ns', name: 'fn', path: req.url ?? '/' });
  });
  return listen(front);
}

function call(port: number, body: string, chunked = false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent: false,
        headers: chunked
          ? { 'content-type': 'text/plain' }
          : { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) },
      },
      (res: IncomingMessage) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (chunked) req.write(body);
    req.end(chunked ? undefined : body);
  });
}

let frontPort: number;

beforeAll(async () => {
  const served = new WeakMap<Socket, number>();
  fn = createServer((req, res) => {
    const n = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, n);
    // The runtime drains or crashes: the connection goes before any byte of an answer.
    if ((mode === 'close-reused' && n > 1) || mode === 'close-always') {
      req.socket.destroy();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      ran.push(body);
      res.writeHead(200, {
        'content-type': 'text/plain',
        ...(mode === 'drain' ? { connection: 'close' } : {}),
      });
      res.end(`got ${body}`);
    });
  });
  fn.on('connection', (s: Socket) => connections.add(s));
  const fnPort = await listen(fn);
  pool = new FunctionConnections();
  frontPort = await start('invoke', fnPort);
});

afterEach(() => {
  mode = 'normal';
  ran.length = 0;
  retries.length = 0;
  connections.clear();
  pool.dropIdle({ host: '127.0.0.1', port: (fn.address() as AddressInfo).port });
});

afterAll(async () => {
  pool.close();
  await new Promise((r) => front.close(r));
  fn.closeAllConnections();
  await new Promise((r) => fn.close(r));
});

describe('connections from the invoke proxy to a function', () => {
  it('are kept: ten calls in a row use one connection', async () => {
    for (let i = 0; i < 10; i += 1)
      expect(await call(frontPort, `n${i}`)).toEqual({ status: 200, text: `got n${i}` });
    expect(connections.size).toBe(1);
  });

  it('lose no call when the function closes a kept connection as a call arrives: sent again on a new one', async () => {
    mode = 'close-reused';
    for (let i = 0; i < 5; i += 1)
      expect(await call(frontPort, `n${i}`)).toEqual({ status: 200, text: `got n${i}` });
    // Each call after the first met a closing kept connection; the function ran every call once.
    expect(ran).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    expect(retries.length).toBeGreaterThanOrEqual(1);
  });

  it('do not send a call twice when it dies on a new connection: 502, and the function saw it once', async () => {
    mode = 'close-always';
    const before = connections.size;
    const r = await call(frontPort, 'once');
    expect(r.status).toBe(502);
    expect(JSON.parse(r.text)).toMatchObject({ kind: 'Status', code: 502, reason: 'InternalError' });
    expect(connections.size - before).toBe(1);
    expect(retries).toEqual([]);
  });

  it('retire a connection the function answered with Connection: close (a draining runtime)', async () => {
    mode = 'drain';
    for (let i = 0; i < 3; i += 1) expect((await call(frontPort, `d${i}`)).status).toBe(200);
    expect(connections.size).toBe(3);
    expect(retries).toEqual([]);
  });

  it('send a streamed body of unknown length on a connection of its own, never on a closing one', async () => {
    expect((await call(frontPort, 'warm')).status).toBe(200);
    mode = 'close-reused';
    expect(await call(frontPort, 'streamed', true)).toEqual({ status: 200, text: 'got streamed' });
    expect(retries).toEqual([]);
  });
});
