// Scenario 3: both webhook pods down (the Deployment scaled to 0) while calls and churn go on.
// With failurePolicy Fail, creates and updates of Functions must fail with a message that says so;
// deletes, and deleting a namespace full of Functions, must still work; when the pods return,
// creates work again and everything converges.
import { CallLoop, summarizeCalls } from '../lib/calls.js';
import { waitConverged, write, writeTally } from '../lib/churn.js';
import type { WriteRecord } from '../lib/churn-model.js';
import { listPods } from '../lib/faults.js';
import { dropNamespace, ensureNamespace, sleep, until } from '../lib/fixtures.js';
import { kubeRequest } from '../lib/kube.js';
import type { ScenarioRun } from './types.js';

const NS = 'chaos-webhook';
const DOOMED = 'chaos-webhook-doomed';

async function scaleWebhook(replicas: number): Promise<void> {
  const a = await kubeRequest(
    'PATCH',
    '/apis/apps/v1/namespaces/kubeless/deployments/kubeless-webhook/scale',
    {
      body: JSON.stringify({ spec: { replicas } }),
      contentType: 'application/merge-patch+json',
    },
  );
  if (a.status !== 200) throw new Error(`scaling the webhook to ${replicas}: ${a.status} ${a.body}`);
}

async function webhookPods(): Promise<{ total: number; ready: number }> {
  const pods = (await listPods('kubeless', 'app.kubernetes.io/component=webhook')).filter(
    (p) => !p.metadata.deletionTimestamp,
  );
  return {
    total: pods.length,
    ready: pods.filter(
      (p) => (p.status?.containerStatuses ?? []).every((c) => c.ready) && p.status?.phase === 'Running',
    ).length,
  };
}

export async function webhookScenario(): Promise<ScenarioRun> {
  await ensureNamespace(NS);
  await ensureNamespace(DOOMED);
  const writes: WriteRecord[] = [];
  // Functions that exist before the fault: updated and deleted during it.
  for (const name of ['keep-0', 'keep-1', 'gone-0', 'gone-1'])
    writes.push(await write(NS, name, 'create', 1));
  for (const name of ['doomed-0', 'doomed-1']) await write(DOOMED, name, 'create', 1);
  const calls = new CallLoop('chaos', 'echo').start();
  await calls.successes(10);

  await scaleWebhook(0);
  await until('no webhook pod left', async () => (await webhookPods()).total === 0, 120_000);
  const downAt = Date.now();
  const during: WriteRecord[] = [];
  for (let i = 0; i < 5; i++) during.push(await write(NS, `new-${i}`, 'create', 1));
  during.push(await write(NS, 'keep-0', 'update', 2));
  during.push(await write(NS, 'keep-1', 'update', 2));
  during.push(await write(NS, 'gone-0', 'delete', 0));
  during.push(await write(NS, 'gone-1', 'delete', 0));
  writes.push(...during);
  const nsDeleteAt = Date.now();
  await dropNamespace(DOOMED);
  let namespaceGoneSeconds: number | undefined;
  try {
    await until(
      `namespace ${DOOMED} to be gone`,
      async () => (await kubeRequest('GET', `/api/v1/namespaces/${DOOMED}`)).status === 404,
      120_000,
      1000,
    );
    namespaceGoneSeconds = (Date.now() - nsDeleteAt) / 1000;
  } catch {
    // Reported below.
  }
  const downFor = Date.now() - downAt;

  await scaleWebhook(2);
  const upAt = Date.now();
  // Creates are refused until a webhook pod serves; the first accepted one marks the recovery.
  let accepted: WriteRecord | undefined;
  const retries: WriteRecord[] = [];
  for (let i = 0; !accepted && Date.now() - upAt < 240_000; i++) {
    const w = await write(NS, 'after', 'create', 1);
    retries.push(w);
    if (w.status === 201) accepted = w;
    else await sleep(1000);
  }
  writes.push(...retries);
  await until('both webhook pods Ready', async () => (await webhookPods()).ready === 2, 180_000);
  const convergence = await waitConverged(NS, writes, 180_000);
  const callRecords = await calls.stop();
  const c = summarizeCalls(callRecords);

  const refusals = during.filter((w) => w.op !== 'delete');
  const unclear = refusals.filter((w) => !(w.status >= 500 && /webhook/i.test(w.message ?? '')));
  const deletes = during.filter((w) => w.op === 'delete');
  const failures = [
    ...unclear.map(
      (w) =>
        `${w.op} ${w.name} while the webhook was down: ${w.status || w.error} ${w.message ?? ''} (wanted a 5xx Status naming the webhook)`,
    ),
    ...deletes
      .filter((w) => w.status !== 200)
      .map((w) => `delete ${w.name} while the webhook was down: ${w.status || w.error} ${w.message ?? ''}`),
    ...(namespaceGoneSeconds === undefined
      ? [`namespace ${DOOMED} was not deleted within 120 s while the webhook was down`]
      : []),
    ...(accepted ? [] : ['no create was accepted within 240 s of the webhook returning']),
    ...(convergence.converged ? [] : [`not converged: ${JSON.stringify(convergence.verdict).slice(0, 400)}`]),
    ...(c.lost > 0 ? [`${c.lost} invoke calls lost: ${c.seen.join('; ')}`] : []),
  ];
  await dropNamespace(NS);
  return {
    failures,
    result: {
      id: 3,
      scenario: 'both webhook pods down',
      tallies: [
        writeTally(writes, convergence),
        { unit: 'calls', made: c.made, lost: c.lost, failedClearly: c.clear },
      ],
      recoverySeconds: accepted ? (accepted.endedAt - upAt) / 1000 : undefined,
      notes:
        `down ${(downFor / 1000).toFixed(0)} s: ${refusals.length} creates/updates refused, e.g. "${(refusals[0]?.message ?? '').slice(0, 200)}"; ` +
        `${deletes.filter((w) => w.status === 200).length}/${deletes.length} deletes done; a namespace with 2 Functions deleted in ` +
        `${namespaceGoneSeconds?.toFixed(0) ?? 'NOT within 120'} s; invoke calls unaffected (${c.clear} failed). ` +
        `Recovery: from scaling the webhook back to the first accepted create (${retries.length} tries).`,
      outcome: failures.length === 0 ? 'passed' : 'failed',
    },
  };
}
