// Issue 16: clients that reset connections (proxies recycling keep-alive connections, callers
// giving up) are routine. A runtime logs each at most as one JSON debug line: the Python
// runtime used to write a whole socketserver traceback to stderr each time.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import net from 'node:net';
import path from 'node:path';
import {
  call,
  ensureNodeRuntimeBuilt,
  FIXTURES,
  type Language,
  type Runtime,
  startRuntime,
} from './harness.js';

jest.setTimeout(60_000);

const RESETS = 150;

/** One way of dropping a connection per `i`: before, during and after the server's answer. */
function resetConnection(port: number, i: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const reset = (): void => {
      socket.resetAndDestroy();
      resolve();
    };
    socket.on('error', () => resolve());
    socket.on('connect', () => {
      const get = 'GET /helper HTTP/1.1\r\nHost: x\r\n\r\n';
      switch (i % 4) {
        case 0: // mid-head
          socket.write('GET /helper HTTP/1.1\r\nHo');
          setTimeout(reset, 5);
          break;
        case 1: // mid-body
          socket.write('POST /binary HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc');
          setTimeout(reset, 5);
          break;
        case 2: // many pipelined requests, then gone while the answers are written
          socket.write(get.repeat(200));
          setImmediate(reset);
          break;
        default: // after an answer, on the idle keep-alive connection
          socket.write(get);
          socket.once('data', reset);
      }
    });
  });
}

describe.each<Language>(['nodejs', 'python'])('%s runtime and reset connections', (language) => {
  let rt: Runtime;
  beforeAll(async () => {
    if (language === 'nodejs') ensureNodeRuntimeBuilt();
    rt = await startRuntime(language, {
      volume: path.join(FIXTURES, language),
      mod: 'contract',
      handler: 'route',
      env: { KUBELESS_LOG_LEVEL: 'debug' },
    });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('logs only JSON lines, at most one per reset, while serving other calls', async () => {
    let served = 0;
    let stop = false;
    const load = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const res = await call(rt, '/helper');
        expect(res.status).toBe(200);
        served++;
      }
    });
    for (let i = 0; i < RESETS; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => resetConnection(rt.port, i + j)));
    }
    stop = true;
    await Promise.all(load);
    await new Promise((r) => setTimeout(r, 300));
    expect(served).toBeGreaterThan(0);

    const lines = rt
      .logs()
      .split('\n')
      .filter((l) => l !== '');
    for (const line of lines) {
      expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
    expect(rt.logs()).not.toContain('Traceback');
    // The listening line, and at most one line per dropped connection.
    expect(lines.length).toBeLessThanOrEqual(1 + RESETS);
  });
});
