// Scenario 1: the controller's leader killed every few seconds while 200 Functions are created,
// updated and deleted. Two controller replicas; the leader is found from the Lease (its identity
// is its pod name) and killed a few seconds after it took the lead: mostly SIGKILL of its
// container (a crash: no lease release, the standby waits for expiry), every third time a pod
// deletion (SIGTERM: the lease is released). Then: every Function converges, nothing orphaned or doubled.
import { CallLoop, summarizeCalls } from '../lib/calls.js';
import { churnPhases, waitConverged, writeTally } from '../lib/churn.js';
import { writeOutcome, type WriteRecord } from '../lib/churn-model.js';
import { deletePod, killContainer, leaseHolder } from '../lib/faults.js';
import { dropNamespace, ensureNamespace, sleep } from '../lib/fixtures.js';
import type { ScenarioRun } from './types.js';

const NS = 'chaos-leader';
const COUNT = 200;
// 500 writes at about 5 a second: long enough for several leaders to be killed meanwhile.
const PACE_MS = 350;

interface Kill {
  at: number;
  pod: string;
  how: 'SIGKILL' | 'delete';
  /** Seconds until a controller renewed the Lease after the kill. */
  newLeaderAfter?: number;
}

async function killLeaders(done: () => boolean, kills: Kill[]): Promise<void> {
  while (!done()) {
    const lease = await leaseHolder();
    if (!lease || Date.now() - Date.parse(lease.renewTime) > 5000) {
      await sleep(500);
      continue;
    }
    // Let it lead (and work) for a few seconds.
    await sleep(3000);
    if (done()) return;
    const how = kills.length % 3 === 2 ? 'delete' : 'SIGKILL';
    const kill: Kill = { at: Date.now(), pod: lease.holder, how };
    try {
      if (how === 'SIGKILL') await killContainer('kubeless', lease.holder, 'controller');
      else await deletePod('kubeless', lease.holder);
    } catch (err) {
      process.stderr.write(`[chaos] could not kill leader ${lease.holder}: ${(err as Error).message}\n`);
      await sleep(1000);
      continue;
    }
    kills.push(kill);
    // Wait for a renewal after the kill, by whichever controller leads next.
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const next = await leaseHolder();
      if (next && Date.parse(next.renewTime) > kill.at) {
        kill.newLeaderAfter = (Date.parse(next.renewTime) - kill.at) / 1000;
        break;
      }
      await sleep(250);
    }
  }
}

export async function leaderScenario(): Promise<ScenarioRun> {
  await ensureNamespace(NS);
  const names = Array.from({ length: COUNT }, (_, i) => `fn-${String(i).padStart(3, '0')}`);
  const writes: WriteRecord[] = [];
  const kills: Kill[] = [];
  const calls = new CallLoop('chaos', 'echo').start();
  let churning = true;
  const killer = killLeaders(() => !churning, kills);
  const started = Date.now();
  // Every Function is created and updated; every other one is then deleted.
  await churnPhases(
    NS,
    names.filter((_, i) => i % 2 === 0),
    [
      { op: 'create', version: 1 },
      { op: 'update', version: 2 },
      { op: 'delete', version: 0 },
    ],
    2,
    writes,
    PACE_MS,
  );
  await churnPhases(
    NS,
    names.filter((_, i) => i % 2 === 1),
    [
      { op: 'create', version: 1 },
      { op: 'update', version: 2 },
    ],
    2,
    writes,
    PACE_MS,
  );
  churning = false;
  await killer;
  const churnEnd = Date.now();
  const faultEnd = Math.max(churnEnd, kills.at(-1)?.at ?? 0);
  const convergence = await waitConverged(NS, writes, 300_000);
  const convergedAt = Date.now();
  const callRecords = await calls.stop();
  const c = summarizeCalls(callRecords);
  const v = convergence.verdict;
  const unknown = writes.filter((w) => writeOutcome(w) === 'unknown').length;
  const takeovers = kills.map((k) =>
    k.newLeaderAfter === undefined ? 'none in 90 s' : `${k.newLeaderAfter.toFixed(1)} s`,
  );
  const failures = [
    ...(kills.length < 3 ? [`only ${kills.length} leader kills happened`] : []),
    ...v.lost.map((l) => `lost: ${l}`),
    ...(convergence.converged
      ? []
      : v.notConverged.slice(0, 5).map((n) => `not converged after 300 s: ${n}`)),
    ...v.orphans.slice(0, 5).map((o) => `orphan: ${o}`),
    ...v.duplicates.slice(0, 5).map((d) => `duplicate: ${d}`),
  ];
  await dropNamespace(NS);
  return {
    failures,
    result: {
      id: 1,
      scenario: 'controller leader killed every few seconds, 200 Functions churned',
      tallies: [writeTally(writes, convergence)],
      // From the last kill (or the churn's end) until every Function matched its last answer.
      recoverySeconds: convergence.converged ? (convergedAt - faultEnd) / 1000 : undefined,
      notes:
        `${kills.length} leader kills (${kills.filter((k) => k.how === 'SIGKILL').length} SIGKILL, ` +
        `${kills.filter((k) => k.how === 'delete').length} pod deletions) over ${((churnEnd - started) / 1000).toFixed(0)} s of churn ` +
        `(200 created and updated, 100 deleted; replicas 0); next renewal after each kill: ${takeovers.join(', ')}; ` +
        `${unknown} writes without an answer; converged ${convergence.converged ? `${convergence.seconds.toFixed(0)} s after the churn` : 'NOT within 300 s'}, ` +
        `${v.orphans.length} orphans, ${v.duplicates.length} duplicates. Background calls: ${c.made} made, ${c.lost} lost, ${c.clear} failed clearly.`,
      outcome: failures.length === 0 ? 'passed' : 'failed',
    },
  };
}
