// Scenario 6: containerd killed (SIGKILL) on the node and started again 30 s later, while calls go
// on; meanwhile one function pod's process dies (SIGKILL from the host), which nobody can restart
// while the runtime is down. Afterwards the function's pods must be back, and the Function's status
// must have said what was going on while they were not.
import { CallLoop, recoveryAfter, summarizeCalls } from '../lib/calls.js';
import { containerPid, listPods, startComponent, stopComponent } from '../lib/faults.js';
import { functionReady, readFunction, ready, sleep, StatusTimeline, until } from '../lib/fixtures.js';
import type { ScenarioRun } from './types.js';

const DOWN_MS = 30_000;

async function echoPods(): Promise<{ name: string; ready: boolean; restarts: number }[]> {
  const pods = (await listPods('chaos', 'function=echo')).filter((p) => !p.metadata.deletionTimestamp);
  return pods.map((p) => ({
    name: p.metadata.name,
    ready: (p.status?.containerStatuses ?? []).every((c) => c.ready) && p.status?.phase === 'Running',
    restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
  }));
}

export async function containerdScenario(): Promise<ScenarioRun> {
  await functionReady('chaos', 'echo', 120_000);
  const before = await echoPods();
  const victim = before[0];
  if (!victim) throw new Error('the echo Function has no pod');
  const pid = await containerPid('chaos', victim.name, 'echo');
  const timeline = new StatusTimeline('chaos', 'echo').start();
  const calls = new CallLoop('chaos', 'echo').start();
  await calls.successes(10);
  const downAt = Date.now();
  await stopComponent('containerd', 'KILL');
  await sleep(5000);
  // The function's process dies while the runtime is down.
  process.kill(pid, 'SIGKILL');
  await sleep(DOWN_MS - 5000);
  await startComponent('containerd');
  const upAt = Date.now();
  let backAt: number | undefined;
  try {
    await until(
      'the echo pods Ready again, the killed one restarted',
      async () => {
        const now = await echoPods();
        const v = now.find((p) => p.name === victim.name);
        return (
          now.length === before.length &&
          now.every((p) => p.ready) &&
          (v === undefined || v.restarts > victim.restarts)
        );
      },
      240_000,
      1000,
    );
    await functionReady('chaos', 'echo', 120_000);
    backAt = Date.now();
  } catch (err) {
    process.stderr.write(`[chaos] ${(err as Error).message}\n`);
  }
  await sleep(3000);
  const records = await calls.stop();
  const changes = await timeline.stop();
  const c = summarizeCalls(records);
  const final = ready(await readFunction('chaos', 'echo'));
  const meanwhile = changes.filter(
    (ch) => ch.at > downAt && ch.at < (backAt ?? Date.now()) && ch.status.startsWith('Ready='),
  );
  const said = meanwhile.filter(
    (ch) => ch.status === 'Ready=False' || /restart|node|runtime|not ready/i.test(ch.message),
  );
  const failures = [
    ...(backAt ? [] : ['the echo pods did not all come back Ready within 240 s of containerd starting']),
    ...(final?.status === 'True'
      ? []
      : [`the Function is not Ready at the end: ${final?.reason}: ${final?.message}`]),
    ...(said.length > 0
      ? []
      : [
          `the Function's status never said anything was wrong between the fault and the recovery (changes: ${JSON.stringify(changes.map((x) => `${x.status} ${x.reason}: ${x.message}`))})`,
        ]),
    ...(c.lost > 0 ? [`${c.lost} calls got no answer or no Status: ${c.seen.join('; ')}`] : []),
  ];
  return {
    failures,
    result: {
      id: 6,
      scenario: 'containerd killed on the node (30 s down) during calls',
      tallies: [{ unit: 'calls', made: c.made, lost: c.lost, failedClearly: c.clear }],
      recoverySeconds: backAt ? Math.max((backAt - upAt) / 1000, recoveryAfter(records, upAt)) : undefined,
      notes:
        `one of 2 echo pods' process killed while containerd was down; pods Ready again ${backAt ? `${((backAt - upAt) / 1000).toFixed(0)} s` : 'NOT within 240 s'} ` +
        `after containerd started; the Function's Ready condition meanwhile: ${meanwhile.map((m) => `${m.status} ${m.reason} "${m.message}"`).join(' -> ') || 'no change'}; ` +
        `what callers saw: ${c.seen.join('; ') || 'nothing failed'}. Recovery: from containerd's start until both pods and the Function were Ready and calls succeeded.`,
      outcome: failures.length === 0 ? 'passed' : 'failed',
    },
  };
}
