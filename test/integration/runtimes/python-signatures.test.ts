// Issue 20, item 3: Python handlers with zero, one or two parameters are called with what they
// accept, decided once when the function loads. The design document Kubeless was created from
// shows `def foo(): return "hello world"`; it answered 500 (foo() takes 0 positional arguments).
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import path from 'node:path';
import { call, FIXTURES, type Runtime, spawnRuntime, exitOf, startRuntime } from './harness.js';

jest.setTimeout(30_000);

const volume = path.join(FIXTURES, 'python');
const started: Runtime[] = [];
async function serve(mod: string, handler: string): Promise<Runtime> {
  const rt = await startRuntime('python', { volume, mod, handler, env: { FUNC_NAME: 'sig' } });
  started.push(rt);
  return rt;
}
afterAll(async () => {
  await Promise.all(started.map((rt) => rt.stop()));
});

const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' };

describe('python handler signatures', () => {
  it("answers the design document's helloget.foo, which takes no arguments", async () => {
    const rt = await serve('helloget', 'foo');
    const res = await call(rt, '/');
    expect(res.status).toBe(200);
    expect(res.text).toBe('hello world');
  });

  it.each([
    ['none', 'no arguments'],
    ['event_only', { data: { x: 1 } }],
    ['both', { data: { x: 1 }, function: 'sig' }],
    ['star', { arguments: 2 }],
    ['defaults', { context: true, extra: 'unused' }],
    ['keyword_only', { data: { x: 1 }, flag: 'default' }],
    ['counter', { calls: 1 }],
  ])('calls %s with what it accepts', async (handler, expected) => {
    const rt = await serve('signatures', handler);
    const res = await call(rt, '/', post);
    expect(res.status).toBe(200);
    expect(typeof expected === 'string' ? res.text : JSON.parse(res.text)).toEqual(expected);
  });

  it('still fails Python 2-only code at load with its real error', async () => {
    const { proc, logs } = spawnRuntime('python', { volume, mod: 'python2', handler: 'handler' });
    expect(await exitOf(proc)).toBe(3);
    expect(logs()).toContain('SyntaxError');
    expect(logs()).toMatch(/Missing parentheses in call to 'print'/);
  });
});
