// Scenario 7: a function pod killed by the kernel for exceeding its memory limit while callers
// keep calling it (every call keeps 4 MiB more; the limit is 128 MiB). Every caller must get an
// answer — the function's or a clear 5xx Status, never a hang — and the Function's status and
// Events must say OOMKilled.
import { CallLoop, recoveryAfter, summarizeCalls } from '../lib/calls.js';
import { listPods, readPod } from '../lib/faults.js';
import { eventsFor, functionReady, readFunction, sleep, until } from '../lib/fixtures.js';
import type { ScenarioRun } from './types.js';

interface Terminated {
  reason?: string;
  exitCode?: number;
  finishedAt?: string;
}

async function hogState(): Promise<{ pod: string; restarts: number; last?: Terminated } | undefined> {
  const pods = (await listPods('chaos', 'function=hog')).filter((p) => !p.metadata.deletionTimestamp);
  const pod = pods[0];
  if (!pod) return undefined;
  const full = (await readPod('chaos', pod.metadata.name)) as unknown as {
    status?: {
      containerStatuses?: { name: string; restartCount: number; lastState?: { terminated?: Terminated } }[];
    };
  };
  const c = full.status?.containerStatuses?.find((s) => s.name === 'hog');
  return { pod: pod.metadata.name, restarts: c?.restartCount ?? 0, last: c?.lastState?.terminated };
}

export async function oomScenario(): Promise<ScenarioRun> {
  await functionReady('chaos', 'hog', 180_000);
  const before = await hogState();
  const calls = new CallLoop('chaos', 'hog', { workers: 2, extra: { mb: 4 }, timeoutMs: 60_000 }).start();
  const started = Date.now();
  // Two OOM kills: the calls in flight at each, and the calls while the container restarts.
  let state = before;
  try {
    await until(
      'two OOM kills of the hog container',
      async () => {
        state = await hogState();
        return (state?.restarts ?? 0) >= (before?.restarts ?? 0) + 2;
      },
      240_000,
      1000,
    );
  } catch (err) {
    process.stderr.write(`[chaos] ${(err as Error).message}\n`);
  }
  // Calls go on until the restarted function answers again.
  await sleep(3000);
  try {
    await calls.successes(3, 120_000);
  } catch {
    // Reported through the call records.
  }
  const records = await calls.stop();
  const c = summarizeCalls(records);
  const killedAt = state?.last?.finishedAt ? Date.parse(state.last.finishedAt) : started;
  const fn = await readFunction('chaos', 'hog');
  const statusText = JSON.stringify(fn.status ?? {});
  const events = await eventsFor('chaos', 'Function', 'hog');
  const oomEvents = events.filter((e) => /OOMKilled/.test(`${e.reason} ${e.message}`));
  const failures = [
    ...(state?.last?.reason === 'OOMKilled'
      ? []
      : [`the hog container was not OOMKilled (last termination: ${JSON.stringify(state?.last)})`]),
    ...(c.lost > 0 ? [`${c.lost} calls got no answer or no Status: ${c.seen.join('; ')}`] : []),
    ...(/OOMKilled/.test(statusText) ? [] : [`the Function's status does not say OOMKilled: ${statusText}`]),
    ...(oomEvents.length > 0
      ? []
      : [
          `no Event on the Function says OOMKilled (events: ${events.map((e) => e.reason).join(', ') || 'none'})`,
        ]),
  ];
  await functionReady('chaos', 'hog', 120_000).catch(() => undefined);
  return {
    failures,
    result: {
      id: 7,
      scenario: 'function pod OOM-killed under load (128 MiB limit)',
      tallies: [{ unit: 'calls', made: c.made, lost: c.lost, failedClearly: c.clear }],
      recoverySeconds: recoveryAfter(records, killedAt),
      notes:
        `${(state?.restarts ?? 0) - (before?.restarts ?? 0)} OOM kills (last: ${state?.last?.reason ?? '?'}, exit ${state?.last?.exitCode ?? '?'}); ` +
        `callers saw: ${c.seen.join('; ') || 'nothing failed'}; status: ${statusText.slice(0, 300)}; ` +
        `Events: ${
          oomEvents
            .map((e) => `${e.reason}: ${e.message}`)
            .join(' | ')
            .slice(0, 300) || 'none says OOMKilled'
        }. ` +
        'Recovery: from the last OOM kill to the end of the last failed call.',
      outcome: failures.length === 0 ? 'passed' : 'failed',
    },
  };
}
