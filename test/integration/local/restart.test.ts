// `kubeless local` as its own process, killed with SIGKILL mid-burst and started again on the
// same data dir: acknowledged writes survive, functions come back and serve, orphans are reaped.
import { afterAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import {
  alive,
  call,
  FN_PATH,
  nodeFunction,
  readyOf,
  startCli,
  stopCli,
  SUB_PATH,
  tmpDataDir,
  waitFor,
} from './helpers.js';

const dataDir = tmpDataDir();
const started: ChildProcess[] = [];
afterAll(async () => {
  // SIGTERM so a platform left running by a failed test stops its function processes too.
  for (const c of started) await stopCli(c, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

const trigger = (i: number) => ({
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'HTTPTrigger',
  metadata: { name: `t${i}` },
  spec: { 'function-name': 'survivor', path: `p${i}` },
});

describe('kill -9 and restart', () => {
  it('loses no acknowledged write and brings functions back', async () => {
    const first = await startCli(dataDir);
    started.push(first.child);
    const invokeUrl = `${SUB_PATH}/default/functions/survivor/invoke`;
    expect(
      (
        await call(
          first.base,
          'POST',
          `${FN_PATH}/default/functions`,
          nodeFunction('survivor', 'module.exports.handler = () => ({ pid: process.pid });'),
        )
      ).status,
    ).toBe(201);
    await waitFor(first.base, 'default', 'survivor', (f) => readyOf(f)?.status === 'True');
    const oldPid = (await call(first.base, 'GET', invokeUrl)).body.pid as number;

    // A burst of creates; the platform is killed as soon as ten of them are acknowledged.
    const acked: string[] = [];
    let maxRv = 0;
    const burst = Array.from({ length: 60 }, (_, i) =>
      call(first.base, 'POST', `${FN_PATH}/default/httptriggers`, trigger(i))
        .then((r) => {
          if (r.status === 201) {
            acked.push(`t${i}`);
            maxRv = Math.max(maxRv, Number((r.body.metadata as { resourceVersion: string }).resourceVersion));
            if (acked.length === 10) first.child.kill('SIGKILL');
          }
        })
        .catch(() => undefined),
    );
    await Promise.all(burst);
    if (first.child.exitCode === null && first.child.signalCode === null)
      await new Promise((r) => first.child.once('exit', r));
    expect(acked.length).toBeGreaterThanOrEqual(10);
    // The runtime process outlives a SIGKILLed parent; the next start must reap it.
    expect(alive(oldPid)).toBe(true);

    const second = await startCli(dataDir);
    started.push(second.child);
    const listed = await call<{ items: Array<{ metadata: { name: string } }> }>(
      second.base,
      'GET',
      `${FN_PATH}/default/httptriggers`,
    );
    const names = new Set(listed.body.items.map((t) => t.metadata.name));
    for (const name of acked) expect(names.has(name)).toBe(true);
    const fresh = await call(second.base, 'POST', `${FN_PATH}/default/httptriggers`, trigger(1000));
    expect(Number((fresh.body.metadata as { resourceVersion: string }).resourceVersion)).toBeGreaterThan(
      maxRv,
    );
    expect(alive(oldPid)).toBe(false);

    const back = await waitFor(second.base, 'default', 'survivor', (f) => readyOf(f)?.status === 'True');
    expect(back.metadata).toMatchObject({ generation: 1 });
    const res = await call(second.base, 'GET', invokeUrl);
    expect(res.status).toBe(200);
    const newPid = res.body.pid as number;
    expect(newPid).not.toBe(oldPid);

    // A clean stop takes its function processes with it.
    await stopCli(second.child, 'SIGTERM');
    expect(alive(newPid)).toBe(false);
  }, 180_000);
});
