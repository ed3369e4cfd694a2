// What a Python function prints reaches the logs while it runs. The image sets PYTHONUNBUFFERED,
// the local platform did not: there stdout is a pipe, block-buffered, and the original examples'
// print(event) never showed up in `kubeless function logs`.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import path from 'node:path';
import { call, FIXTURES, type Runtime, startRuntime } from './harness.js';

jest.setTimeout(30_000);

let rt: Runtime | undefined;
afterAll(async () => {
  await rt?.stop();
});

describe('python function output', () => {
  it('reaches the logs line by line, without PYTHONUNBUFFERED', async () => {
    rt = await startRuntime('python', {
      volume: path.join(FIXTURES, 'python'),
      mod: 'contract',
      handler: 'route',
    });
    const res = await call(rt, '/printer', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(res.text).toBe('printed');
    const deadline = Date.now() + 5000;
    while (!rt.logs().includes('printed by the function: hi') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rt.logs()).toContain('printed by the function: hi');
  });
});
