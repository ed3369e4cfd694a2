// Scenario 2: one of the two `kubeless api` pods killed during continuous invoke calls through
// kube-apiserver (GETs and POSTs). Twice: a SIGKILL of its container (a crash; kubelet restarts
// it), then a pod deletion (SIGTERM, the way a rollout or a drain ends a pod). For each, when the
// kill became visible in the Service's EndpointSlice; calls that started after that must not fail.
import { CallLoop, recoveryAfter, summarizeCalls, type CallRecord } from '../lib/calls.js';
import { deletePod, killContainer, listPods } from '../lib/faults.js';
import { sleep, until } from '../lib/fixtures.js';
import { getJson } from '../lib/kube.js';
import type { ScenarioRun } from './types.js';

const API_SELECTOR = 'app.kubernetes.io/component=api';

interface Slice {
  endpoints?: { targetRef?: { name?: string }; conditions?: { ready?: boolean } }[];
}

/** Whether `pod` is a ready endpoint of the kubeless-api Service. */
async function endpointReady(pod: string): Promise<boolean> {
  const slices = await getJson<{ items: Slice[] }>(
    `/apis/discovery.k8s.io/v1/namespaces/kubeless/endpointslices?labelSelector=${encodeURIComponent('kubernetes.io/service-name=kubeless-api')}`,
  );
  return slices.items.some((s) =>
    (s.endpoints ?? []).some((e) => e.targetRef?.name === pod && e.conditions?.ready === true),
  );
}

async function allApiPodsReady(): Promise<string[] | undefined> {
  const pods = (await listPods('kubeless', API_SELECTOR)).filter((p) => !p.metadata.deletionTimestamp);
  const ready = pods.filter(
    (p) => (p.status?.containerStatuses ?? []).every((c) => c.ready) && p.status?.phase === 'Running',
  );
  return pods.length === 2 && ready.length === 2 ? ready.map((p) => p.metadata.name) : undefined;
}

interface Round {
  how: 'SIGKILL' | 'delete';
  pod: string;
  at: number;
  visibleAt: number;
  backAt: number;
}

function describeRound(
  r: Round,
  records: readonly CallRecord[],
): { text: string; failedAfterVisible: number } {
  const inRound = records.filter((c) => c.endedAt >= r.at && c.startedAt <= r.backAt);
  const inFlight = inRound.filter((c) => c.startedAt < r.at);
  const beforeVisible = inRound.filter((c) => c.startedAt >= r.at && c.startedAt < r.visibleAt);
  const afterVisible = inRound.filter((c) => c.startedAt >= r.visibleAt);
  const failed = (cs: CallRecord[]) => cs.filter((c) => c.outcome !== 'ok');
  const saw = (cs: CallRecord[]) =>
    [...new Set(failed(cs).map((c) => c.detail ?? c.outcome))].slice(0, 2).join(' | ');
  const text =
    `${r.how} of ${r.pod}: endpoint not ready after ${((r.visibleAt - r.at) / 1000).toFixed(1)} s, serving again after ` +
    `${((r.backAt - r.at) / 1000).toFixed(0)} s; calls in flight at the kill: ${inFlight.length} (${failed(inFlight).length} failed` +
    `${failed(inFlight).length ? `: ${saw(inFlight)}` : ''}), started before it was visible: ${beforeVisible.length} ` +
    `(${failed(beforeVisible).length} failed${failed(beforeVisible).length ? `: ${saw(beforeVisible)}` : ''}), after: ` +
    `${afterVisible.length} (${failed(afterVisible).length} failed${failed(afterVisible).length ? `: ${saw(afterVisible)}` : ''})`;
  return { text, failedAfterVisible: failed(afterVisible).length };
}

async function round(how: Round['how'], pod: string): Promise<Round> {
  const at = Date.now();
  if (how === 'SIGKILL') await killContainer('kubeless', pod, 'api');
  else await deletePod('kubeless', pod);
  await until(`pod ${pod}'s endpoint to be not ready`, async () => !(await endpointReady(pod)), 60_000, 100);
  const visibleAt = Date.now();
  await until('both api pods Ready again', allApiPodsReady, 180_000, 500);
  return { how, pod, at, visibleAt, backAt: Date.now() };
}

export async function apiPodScenario(): Promise<ScenarioRun> {
  const before = await until('both api pods Ready', allApiPodsReady, 120_000);
  const calls = new CallLoop('chaos', 'echo', { workers: 3 }).start();
  await calls.successes(20);
  const first = await round('SIGKILL', before[0] as string);
  await sleep(5000);
  // The other pod, whichever name the first one has now.
  const second = await round('delete', before[1] as string);
  await sleep(5000);
  const records = await calls.stop();
  const c = summarizeCalls(records);
  const rounds = [first, second].map((r) => describeRound(r, records));
  const failedAfterVisible = rounds.reduce((n, r) => n + r.failedAfterVisible, 0);
  const failures = [
    ...(failedAfterVisible > 0
      ? [`${failedAfterVisible} calls that started after the kill was visible in the EndpointSlice failed`]
      : []),
    ...(c.lost > 0 ? [`${c.lost} calls got no answer or no Status: ${c.seen.join('; ')}`] : []),
  ];
  return {
    failures,
    result: {
      id: 2,
      scenario: 'one of two kubeless api pods killed during invoke calls',
      tallies: [{ unit: 'calls', made: c.made, lost: c.lost, failedClearly: c.clear }],
      recoverySeconds: Math.max(
        ...[first, second].map((r) =>
          recoveryAfter(
            records.filter((x) => x.endedAt >= r.at && x.startedAt <= r.backAt),
            r.at,
          ),
        ),
      ),
      notes: `${rounds.map((r) => r.text).join('; ')}. Recovery: from a kill to the end of the last call that failed because of it (the longer of the two).`,
      outcome: failures.length === 0 ? 'passed' : 'failed',
    },
  };
}
