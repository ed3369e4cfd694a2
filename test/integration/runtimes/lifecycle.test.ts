// How each runtime starts, fails, recovers and stops: one process per case, as in a pod.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  call,
  ensureNodeRuntimeBuilt,
  EXAMPLES,
  exitOf,
  FIXTURES,
  type Language,
  type Runtime,
  spawnRuntime,
  startRuntime,
} from './harness.js';

jest.setTimeout(30_000);
ensureNodeRuntimeBuilt();

const started: Runtime[] = [];
async function start(
  language: Language,
  ...args: Parameters<typeof startRuntime> extends [Language, infer O] ? [O] : never
): Promise<Runtime> {
  const rt = await startRuntime(language, args[0]);
  started.push(rt);
  return rt;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((rt) => rt.stop()));
});

const handlers = {
  nodejs: { hello: 'hello', echo: 'echo', status: 'create' },
  python: { hello: 'handler', echo: 'echo', status: 'create' },
} as const;

describe.each<Language>(['nodejs', 'python'])('%s runtime lifecycle', (language) => {
  const fixtures = path.join(FIXTURES, language);
  const examples = path.join(EXAMPLES, language);

  it('runs the examples: hello, JSON echo and a status code', async () => {
    const [hello, echo, status] = await Promise.all([
      start(language, { volume: examples, mod: 'hello', handler: handlers[language].hello }),
      start(language, { volume: examples, mod: 'echo', handler: handlers[language].echo }),
      start(language, { volume: examples, mod: 'status', handler: handlers[language].status }),
    ]);
    expect((await call(hello, '/')).text).toBe('hello world');
    const echoed = await call(echo, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'event-id': 'abc' },
      body: JSON.stringify({ a: [1, { b: null }] }),
    });
    expect(JSON.parse(echoed.text)).toEqual({
      received: { a: [1, { b: null }] },
      eventId: 'abc',
      method: 'POST',
    });
    const missing = await call(status, '/');
    expect(missing.status).toBe(400);
    const created = await call(status, '/?name=tea');
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/items/tea');
    expect(JSON.parse(created.text)).toEqual({ created: 'tea' });
  });

  it('answers 408 for a handler stuck in a synchronous loop, then serves again', async () => {
    const rt = await start(language, {
      volume: fixtures,
      mod: 'contract',
      handler: 'route',
      env: { KUBELESS_MAX_ABANDONED: '1' },
    });
    // Twice: the second round runs with a pooled keep-alive connection to the stuck process,
    // which must be closed before the 408 goes out or the next call lands in a dying process.
    for (let round = 0; round < 2; round++) {
      const t0 = Date.now();
      const stuck = await call(rt, '/spin');
      expect(stuck.status).toBe(408);
      expect(Date.now() - t0).toBeLessThan(3000);
      // The replacement (a new serving process, or the Python runtime's own restart) takes over
      // the same listening socket, so calls right after only wait, they are not refused.
      const next = await call(rt, '/helper');
      expect(next.status).toBe(200);
      expect(next.text).toBe('hello from several files');
    }
    expect(rt.proc.exitCode).toBeNull();
    // Node.js stops the stuck code in place (the process and its module state stay); Python
    // abandons the thread and, past KUBELESS_MAX_ABANDONED, re-executes itself.
    expect(rt.logs()).toMatch(
      language === 'nodejs' ? /blocked synchronous code was stopped/ : /restart|replac/,
    );
    if (language === 'nodejs') {
      const metrics = (await call(rt, '/metrics')).text;
      expect(metrics).toMatch(/function_failures_total\{method="GET"\} 2\b/);
    }
  });

  it('finishes a call in flight on SIGTERM, refuses new ones, and exits 0', async () => {
    const rt = await start(language, { volume: fixtures, mod: 'contract', handler: 'route' });
    const inFlight = call(rt, '/wait', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '600',
    });
    await new Promise((r) => setTimeout(r, 200));
    rt.proc.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.text).toBe('waited');
    expect(await rt.exited).toBe(0);
    await expect(fetch(rt.url + '/healthz')).rejects.toThrow();
  });

  it('fails to load with exit code 3 and one JSON line naming the problem', async () => {
    const cases = [
      { mod: 'missing', handler: 'x', expect: /missing/ },
      { mod: 'broken', handler: 'x', expect: /fails at import/ },
      { mod: 'contract', handler: 'notThere', expect: /notThere/ },
    ];
    for (const c of cases) {
      const { proc, logs } = spawnRuntime(language, { volume: fixtures, mod: c.mod, handler: c.handler });
      expect(await exitOf(proc)).toBe(3);
      const line = logs()
        .split('\n')
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return undefined;
          }
        })
        .find((l) => l?.msg === 'function failed to load');
      expect(line).toMatchObject({ level: 'error', msg: 'function failed to load' });
      expect(String(line?.error)).toMatch(c.expect);
    }
  });

  it('in pool mode loads the function from the config line on stdin', async () => {
    const rt = await start(language, {
      volume: examples,
      mod: 'hello',
      handler: handlers[language].hello,
      pool: true,
    });
    expect((await call(rt, '/')).text).toBe('hello world');
    expect((await call(rt, '/healthz')).status).toBe(200);
  });
});

describe('nodejs module shapes', () => {
  const fixtures = path.join(FIXTURES, 'nodejs');
  it('accepts module.exports as the handler itself and ES modules', async () => {
    const [itself, esm] = await Promise.all([
      start('nodejs', { volume: fixtures, mod: 'itself', handler: 'anything' }),
      start('nodejs', { volume: fixtures, mod: 'esm', handler: 'hello' }),
    ]);
    expect((await call(itself, '/')).text).toBe('the export is the handler');
    const res = await call(esm, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1]',
    });
    expect(JSON.parse(res.text)).toEqual({ esm: true, data: [1] });
  });

  it('supports the Express-style response of the original runtime', async () => {
    const rt = await start('nodejs', { volume: fixtures, mod: 'contract', handler: 'expressStyle' });
    const res = await call(rt, '/');
    expect(res.status).toBe(202);
    expect(res.headers.get('x-style')).toBe('express');
    expect(JSON.parse(res.text)).toEqual({ ok: true });
  });
});

describe('nodejs watchdog', () => {
  const fixtures = path.join(FIXTURES, 'nodejs');
  it('answers 408 for an async handler stuck after an await, and the process keeps serving', async () => {
    const rt = await start('nodejs', { volume: fixtures, mod: 'contract', handler: 'route' });
    const stuck = await call(rt, '/spinAfterAwait');
    expect(stuck.status).toBe(408);
    expect(stuck.text).toContain('timeout');
    expect((await call(rt, '/helper')).text).toBe('hello from several files');
    expect(rt.proc.exitCode).toBeNull();
    expect(rt.logs()).toMatch(/"reason":"blocked-loop"/);
  });

  it('answers 408 and ends the process when the handler is blocked in native code', async () => {
    const rt = await start('nodejs', { volume: fixtures, mod: 'contract', handler: 'route' });
    const stuck = await call(rt, '/blockNative');
    expect(stuck.status).toBe(408);
    // Ended for the orchestrator (kubelet, the local platform) to restart, not left hanging.
    await rt.exited;
    expect(rt.proc.signalCode).toBe('SIGKILL');
    expect(rt.logs()).toMatch(/event loop still blocked/);
  });

  it('runs as one process: no supervisor and no forked serving process', async () => {
    const rt = await start('nodejs', {
      volume: path.join(EXAMPLES, 'nodejs'),
      mod: 'hello',
      handler: 'hello',
    });
    expect((await call(rt, '/')).text).toBe('hello world');
    const pid = rt.proc.pid!;
    expect(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()).toBe('');
  });
});

describe('python coroutine handlers', () => {
  it('awaits a coroutine handler', async () => {
    const rt = await start('python', {
      volume: path.join(FIXTURES, 'python'),
      mod: 'contract',
      handler: 'coroutine',
    });
    const res = await call(rt, '/');
    expect(JSON.parse(res.text)).toEqual({ async: true });
  });
});
