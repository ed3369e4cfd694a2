// Issue 18, item 4 (second half): the Python runtime's connections. 2,000 half-sent requests
// made 2,002 threads, each held 65 s or more and renewable by trickling bytes. Now connections
// are capped (KUBELESS_MAX_CONNECTIONS; past it a fast 503), a request's head has a deadline
// that trickling cannot renew (KUBELESS_HEADERS_TIMEOUT) and idle keep-alive connections close
// (KUBELESS_KEEPALIVE_TIMEOUT). bench/runtime-connections.ts measures the case.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Runtime, startRuntime } from '../integration/runtimes/harness.js';
import { awaitAnswer, exchange, openPartial, threadsOf } from './raw-http.js';

jest.setTimeout(60_000);

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/runtime');
const HALF = 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ';
const GET_CLOSE = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

const started: Runtime[] = [];
const sockets: net.Socket[] = [];
async function python(env: Record<string, string>): Promise<Runtime> {
  const rt = await startRuntime('python', { volume: FIXTURE, mod: 'length', handler: 'handler', env });
  started.push(rt);
  return rt;
}
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(started.splice(0).map((rt) => rt.stop()));
});

describe('python runtime connections', () => {
  it('caps connections: past KUBELESS_MAX_CONNECTIONS a new one gets a fast 503', async () => {
    const rt = await python({ KUBELESS_MAX_CONNECTIONS: '4', FUNC_TIMEOUT: '10' });
    const busy = Array.from({ length: 4 }, () =>
      exchange(rt.port, 'GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { waitMs: 15_000 }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const refused = await exchange(rt.port, GET_CLOSE);
    expect(refused.statuses).toEqual([503]);
    expect(refused.ms).toBeLessThan(2000);
    expect(refused.text).toContain('KUBELESS_MAX_CONNECTIONS');
    expect(refused.text).toMatch(/\r\nretry-after: 1\r\n/i);
    for (const res of await Promise.all(busy)) expect(res.statuses).toEqual([200]);
    expect((await exchange(rt.port, GET_CLOSE)).statuses).toEqual([200]);
  });

  it('keeps threads bounded under 200 half-sent requests and still serves an honest call', async () => {
    const rt = await python({ KUBELESS_MAX_CONNECTIONS: '20' });
    const threadsIdle = threadsOf(rt.proc.pid!);
    for (let i = 0; i < 200; i++) sockets.push(await openPartial(rt.port, HALF));
    // Past a second of sending, a request that is not complete may be closed to make room.
    await new Promise((r) => setTimeout(r, 1500));
    // The old runtime started a thread for each of the 200.
    expect(threadsOf(rt.proc.pid!)).toBeLessThanOrEqual(threadsIdle + 20 + 2);
    const served = await exchange(rt.port, GET_CLOSE);
    expect(served.statuses).toEqual([200]);
  });

  it('closes an idle keep-alive connection to make room rather than refuse a new one', async () => {
    const rt = await python({ KUBELESS_MAX_CONNECTIONS: '3' });
    const idle: Promise<{ status?: number; closed: boolean }>[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = await openPartial(rt.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      sockets.push(socket);
      idle.push(awaitAnswer(socket, 5000));
    }
    await new Promise((r) => setTimeout(r, 300));
    const res = await exchange(rt.port, GET_CLOSE);
    expect(res.statuses).toEqual([200]);
    // Each got its answer; one of them was then closed to make room.
    const first = await Promise.race(idle);
    expect(first).toEqual({ status: 200, closed: true });
  });

  it('cuts a client that trickles its headers at the header deadline, however often it sends', async () => {
    const rt = await python({ KUBELESS_HEADERS_TIMEOUT: '2' });
    const socket = await openPartial(rt.port, HALF);
    sockets.push(socket);
    const trickle = setInterval(() => socket.writable && socket.write('a'), 200);
    const t0 = Date.now();
    const answer = await awaitAnswer(socket, 20_000);
    clearInterval(trickle);
    // The old runtime's 65 s timeout was per read: a byte every 200 ms renewed it forever.
    expect(answer).toEqual({ status: 408, closed: true });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('closes keep-alive connections idle past KUBELESS_KEEPALIVE_TIMEOUT', async () => {
    const rt = await python({ KUBELESS_KEEPALIVE_TIMEOUT: '1' });
    const socket = await openPartial(rt.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    sockets.push(socket);
    const t0 = Date.now();
    const answer = await awaitAnswer(socket, 20_000);
    expect(answer).toEqual({ status: 200, closed: true });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('closes an HTTP/1.0 connection after its answer, even when it asked to be kept alive', async () => {
    // Such a client reads the body to the end of the connection unless told `keep-alive`.
    const rt = await python({});
    const res = await exchange(rt.port, 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    expect(res.statuses).toEqual([200]);
    expect(res.closedByServer).toBe(true);
  });

  it('refuses a bad limit with exit code 3 and a message naming it', async () => {
    await expect(python({ KUBELESS_MAX_CONNECTIONS: 'many' })).rejects.toThrow(/KUBELESS_MAX_CONNECTIONS/);
  });
});
