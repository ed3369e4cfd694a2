// Chaos scenario 9 (issue #16): the local platform (`kubeless local`, as `npm start` runs it)
// killed with SIGKILL at random moments during 1,000 mixed writes (HTTPTriggers created, updated
// and deleted by four clients), started again on the same data dir each time. After every restart
// each acknowledged write must be there, and the platform's Function must serve again.
import { afterAll, expect, jest, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import {
  call,
  FN_PATH,
  nodeFunction,
  readyOf,
  startCli,
  stopCli,
  SUB_PATH,
  tmpDataDir,
  waitFor,
} from '../integration/local/helpers.js';
import { acceptableStates, type ChurnOp, type FnState, type WriteRecord } from './lib/churn-model.js';
import { recordResult } from './results.js';
import { seededRandom as rng } from '../helpers/seeded-random.js';

jest.setTimeout(600_000);

const TOTAL = 1000;
const CLIENTS = 4;
const KEYS = 120;
const KILLS = 4;
const seed = Number(process.env.KUBELESS_CHAOS_SEED ?? Date.now() % 1_000_000);

const dataDir = tmpDataDir();
const started: ChildProcess[] = [];
afterAll(async () => {
  for (const c of started) await stopCli(c, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

const triggers = `${FN_PATH}/default/httptriggers`;
const trigger = (name: string, version: number) => ({
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'HTTPTrigger',
  metadata: { name },
  spec: { 'function-name': 'target', path: `v${version}` },
});

/** The state of every key as the restarted platform shows it. */
async function listed(base: string): Promise<Map<string, FnState>> {
  const r = await call<{ items: { metadata: { name: string }; spec: { path: string } }[] }>(
    base,
    'GET',
    triggers,
  );
  if (r.status !== 200) throw new Error(`listing HTTPTriggers: ${r.status} ${r.text}`);
  return new Map(r.body.items.map((t) => [t.metadata.name, Number(t.spec.path.replace(/^\/?v/, ''))]));
}

function lostKeys(writes: readonly WriteRecord[], seen: ReadonlyMap<string, FnState>): string[] {
  const lost: string[] = [];
  for (const [name, allowed] of acceptableStates(writes)) {
    const state = seen.get(name) ?? 'absent';
    if (!allowed.has(state)) lost.push(`${name}: is ${state}, answers allow ${[...allowed].join(' or ')}`);
  }
  return lost;
}

test('scenario 9: kill -9 at random moments during 1,000 mixed writes loses no acknowledged write', async () => {
  const random = rng(seed);
  process.stdout.write(`[chaos] local platform scenario, seed ${seed} (KUBELESS_CHAOS_SEED repeats it)\n`);
  const killAt = Array.from({ length: KILLS }, () => Math.floor(100 + random() * (TOTAL - 200))).sort(
    (a, b) => a - b,
  );

  let platform = await startCli(dataDir);
  started.push(platform.child);
  const created = await call(
    platform.base,
    'POST',
    `${FN_PATH}/default/functions`,
    nodeFunction('target', 'module.exports.handler = () => ({ pid: process.pid });'),
  );
  expect(created.status).toBe(201);
  await waitFor(platform.base, 'default', 'target', (f) => readyOf(f)?.status === 'True');

  const writes: WriteRecord[] = [];
  const versions = new Map<string, number>();
  const lost = new Set<string>();
  const restartSeconds: number[] = [];
  let issued = 0;
  let restarting: Promise<void> | undefined;

  const restart = async (): Promise<void> => {
    const killedAt = Date.now();
    platform.child.kill('SIGKILL');
    await new Promise((r) =>
      platform.child.exitCode !== null || platform.child.signalCode !== null
        ? r(undefined)
        : platform.child.once('exit', r),
    );
    platform = await startCli(dataDir);
    started.push(platform.child);
    // Every write made before the kill has its answer (or its error) by now.
    for (const l of lostKeys(writes, await listed(platform.base))) lost.add(l);
    await waitFor(platform.base, 'default', 'target', (f) => readyOf(f)?.status === 'True');
    restartSeconds.push((Date.now() - killedAt) / 1000);
  };

  const client = async (c: number): Promise<void> => {
    const mine = Array.from({ length: KEYS / CLIENTS }, (_, i) => `t${i * CLIENTS + c}`);
    for (;;) {
      if (restarting) await restarting;
      const n = issued++;
      if (n >= TOTAL) return;
      if (killAt.includes(n)) restarting = restart().finally(() => (restarting = undefined));
      const name = mine[Math.floor(random() * mine.length)] as string;
      const allowed =
        acceptableStates(writes.filter((w) => w.name === name)).get(name) ?? new Set<FnState>(['absent']);
      // Present: update or delete; absent: create; not known (a write cut off by a kill): delete,
      // whose 200 or 404 says which it was.
      const op: ChurnOp = !allowed.has('absent')
        ? random() < 0.6
          ? 'update'
          : 'delete'
        : allowed.size === 1
          ? 'create'
          : 'delete';
      const version = (versions.get(name) ?? 0) + 1;
      versions.set(name, version);
      const base = platform.base;
      const startedAt = Date.now();
      let status = 0;
      let error: string | undefined;
      try {
        const r =
          op === 'create'
            ? await call(base, 'POST', triggers, trigger(name, version))
            : op === 'update'
              ? await call(
                  base,
                  'PATCH',
                  `${triggers}/${name}`,
                  { spec: { path: `v${version}` } },
                  { 'content-type': 'application/merge-patch+json' },
                )
              : await call(base, 'DELETE', `${triggers}/${name}`);
        status = r.status;
      } catch (err) {
        error = (err as Error).message;
      }
      writes.push({ name, op, version, status, error, startedAt, endedAt: Date.now() });
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  if (restarting) await restarting;

  for (const l of lostKeys(writes, await listed(platform.base))) lost.add(l);
  const invoked = await call(platform.base, 'GET', `${SUB_PATH}/default/functions/target/invoke`);
  const acked = writes.filter((w) => w.status >= 200 && w.status < 300).length;
  // A 404 answers a delete made to learn whether a cut-off write had landed: not a failure.
  const probes = writes.filter((w) => w.status === 404 && w.op === 'delete').length;
  const refused = writes.filter((w) => w.status >= 400).length - probes;
  const unknown = writes.filter((w) => w.status === 0).length;
  recordResult({
    id: 9,
    scenario: 'local platform: kill -9 during 1,000 mixed writes',
    tallies: [{ unit: 'writes', made: writes.length, lost: lost.size, failedClearly: refused }],
    recoverySeconds: Math.max(...restartSeconds),
    notes:
      `${KILLS} kills at writes ${killAt.join(', ')} (seed ${seed}); ${acked} acknowledged, ${unknown} cut off by a kill ` +
      `(no answer: either outcome allowed), ${probes} deletes answered 404 (made to learn whether a cut-off create had landed), ` +
      `${refused} refused otherwise; recovery = longest kill-to-Function-Ready restart ` +
      `(each: ${restartSeconds.map((s) => s.toFixed(1)).join(', ')} s)` +
      (lost.size > 0 ? `; LOST: ${[...lost].slice(0, 5).join('; ')}` : ''),
    outcome: lost.size === 0 && invoked.status === 200 ? 'passed' : 'failed',
  });
  expect([...lost]).toEqual([]);
  expect(invoked.status).toBe(200);
  expect(writes.length).toBe(TOTAL);
});
