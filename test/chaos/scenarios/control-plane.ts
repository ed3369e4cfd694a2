// Scenarios 4 and 5: kube-apiserver (SIGTERM, as a restart does) or etcd (SIGKILL, a crash)
// stopped and started again while calls and Function churn go on. Everything accepted must
// converge; Kubeless's components must come back by resuming their watches, not by restarting
// and listing everything again (counted in kube-apiserver's audit log).
import { countListWatch, readAudit, repeatedLists, totalFullLists } from '../lib/audit.js';
import { CallLoop, recoveryAfter, summarizeCalls } from '../lib/calls.js';
import { ChurnLoop, waitConverged, write, writeTally } from '../lib/churn.js';
import { listPods, startComponent, stopComponent } from '../lib/faults.js';
import { apiserverReady, dropNamespace, ensureNamespace, sleep, until } from '../lib/fixtures.js';
import type { ScenarioRun } from './types.js';

async function kubelessRestarts(): Promise<Map<string, number>> {
  const pods = await listPods('kubeless', 'app.kubernetes.io/name=kubeless');
  return new Map(
    pods.map((p) => [
      p.metadata.name,
      (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
    ]),
  );
}

export async function controlPlaneScenario(component: 'kube-apiserver' | 'etcd'): Promise<ScenarioRun> {
  const id = component === 'kube-apiserver' ? 4 : 5;
  const signal = component === 'kube-apiserver' ? 'TERM' : 'KILL';
  const downMs = component === 'kube-apiserver' ? 5000 : 10_000;
  const ns = `chaos-${component}`;
  await ensureNamespace(ns);
  const calls = new CallLoop('chaos', 'echo').start();
  const churn = new ChurnLoop(ns).start();
  await calls.successes(10);
  await sleep(5000);
  const restartsBefore = await kubelessRestarts();
  const faultAt = Date.now();
  await stopComponent(component, signal);
  await sleep(downMs);
  await startComponent(component);
  await until(`kube-apiserver /readyz after the ${component} restart`, apiserverReady, 180_000, 250);
  const readyAt = Date.now();
  // The controller is back when a Function made now gets its objects and a status.
  const probe = [await write(ns, 'probe', 'create', 1)];
  while (![200, 201].includes(probe.at(-1)?.status ?? 0) && Date.now() - readyAt < 60_000) {
    await sleep(500);
    probe.push(await write(ns, 'probe', probe.at(-1)?.status === 409 ? 'update' : 'create', 1));
  }
  const probeConverged = await waitConverged(ns, probe, 180_000, (name) => name === 'probe');
  const controllerBackAt = Date.now();
  // Keep working for a while after the restart: the components must reconnect on their own.
  await sleep(Math.max(0, 20_000 - (controllerBackAt - readyAt)));
  const writes = await churn.stop();
  const convergence = await waitConverged(ns, [...probe, ...writes], 180_000);
  const records = await calls.stop();
  const c = summarizeCalls(records);
  const restartsAfter = await kubelessRestarts();
  const restarted = [...restartsAfter]
    .filter(([pod, n]) => n > (restartsBefore.get(pod) ?? 0))
    .map(([pod]) => pod);
  const lw = countListWatch(readAudit(), faultAt);
  const relists = totalFullLists(lw);
  const tally = writeTally(writes, convergence);
  const failures = [
    ...(probeConverged.converged
      ? []
      : ['a Function created after the restart did not converge within 180 s']),
    ...(convergence.converged
      ? []
      : [`not converged within 180 s: ${JSON.stringify(convergence.verdict).slice(0, 400)}`]),
    ...convergence.verdict.lost.map((l) => `lost: ${l}`),
    ...(restarted.length > 0 ? [`Kubeless containers restarted: ${restarted.join(', ')}`] : []),
    ...(repeatedLists(lw).length > 0
      ? [`caches listed more than once after the restart (a relist storm): ${repeatedLists(lw).join(', ')}`]
      : []),
  ];
  await dropNamespace(ns);
  const callsAfter = records.filter((r) => r.startedAt >= readyAt);
  return {
    failures,
    result: {
      id,
      scenario: `${component} restarted (SIG${signal}, ${downMs / 1000} s down) during calls and churn`,
      tallies: [tally, { unit: 'calls', made: c.made, lost: c.lost, failedClearly: c.clear }],
      recoverySeconds: probeConverged.converged
        ? Math.max(recoveryAfter(records, readyAt), (controllerBackAt - readyAt) / 1000)
        : undefined,
      notes:
        `kube-apiserver ready again ${((readyAt - faultAt) / 1000).toFixed(0)} s after the stop; what clients saw: ${c.seen.join('; ') || 'nothing failed'}; ` +
        `${callsAfter.filter((r) => r.outcome !== 'ok').length} of ${callsAfter.length} calls made after it was ready failed; ` +
        `Kubeless pods restarted: ${restarted.length}; full lists by Kubeless components: ${relists} ${JSON.stringify(lw.fullLists)}, ` +
        `watches started: ${JSON.stringify(lw.watches)}, 410 Gone: ${lw.gone}; churn converged ${convergence.seconds.toFixed(0)} s after it stopped. ` +
        `a Function created once kube-apiserver was ready converged after ${probeConverged.converged ? `${((controllerBackAt - readyAt) / 1000).toFixed(0)} s` : 'MORE than 180 s'}. ` +
        'Recovery: from kube-apiserver ready to the later of the last failed call and that Function converged.',
      outcome: failures.length === 0 ? 'passed' : 'failed',
    },
  };
}
