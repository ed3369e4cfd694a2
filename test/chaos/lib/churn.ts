// Object churn: Functions created, updated and deleted through kube-apiserver while a fault
// happens, every answer recorded; then the wait until the controller's objects match what was
// acknowledged (churn-model.ts judges). The churned Functions run no pods (replicas 0): what is
// measured is the controller's bookkeeping, and one node could not run hundreds of pods.
import { getJson, kubeRequest, statusMessage } from './kube.js';
import type { Tally } from '../results.js';
import {
  acceptableStates,
  judgeChurn,
  writeOutcome,
  type ChurnOp,
  type ChurnVerdict,
  type ObservedFunction,
  type ObservedOwned,
  type WriteRecord,
} from './churn-model.js';

const GROUP_PATH = '/apis/kubeless.io/v1beta1';

export function churnCode(version: number): string {
  return `def handler(event, context):\n    return ${version}\n`;
}

function versionOfCode(code: string | undefined): number | undefined {
  const m = /return (\d+)\s*$/.exec(code ?? '');
  return m ? Number(m[1]) : undefined;
}

export function churnFunction(namespace: string, name: string, version: number): Record<string, unknown> {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name, namespace, labels: { 'chaos.kubeless.io/churn': 'true' } },
    spec: {
      runtime: 'python3.11',
      handler: 'churn.handler',
      function: churnCode(version),
      deployment: { spec: { replicas: 0 } },
    },
  };
}

/** One write, recorded whatever its outcome. */
export async function write(
  namespace: string,
  name: string,
  op: ChurnOp,
  version: number,
): Promise<WriteRecord> {
  const path = `${GROUP_PATH}/namespaces/${namespace}/functions`;
  const a =
    op === 'create'
      ? await kubeRequest('POST', path, { body: JSON.stringify(churnFunction(namespace, name, version)) })
      : op === 'update'
        ? await kubeRequest('PATCH', `${path}/${name}`, {
            // checksum: null has the webhook compute the new code's checksum.
            body: JSON.stringify({ spec: { function: churnCode(version), checksum: null } }),
            contentType: 'application/merge-patch+json',
          })
        : await kubeRequest('DELETE', `${path}/${name}`);
  return {
    name,
    op,
    version,
    status: a.status,
    error: a.error,
    message: statusMessage(a.body),
    startedAt: a.startedAt,
    endedAt: a.endedAt,
  };
}

/** Runs `ops` for every name, one name's writes in order, `concurrency` names at a time. */
export async function churnPhases(
  namespace: string,
  names: readonly string[],
  ops: readonly { op: ChurnOp; version: number }[],
  concurrency: number,
  into: WriteRecord[],
  /** A pause after each write, to spread the churn over the fault. */
  paceMs = 0,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < names.length; i = next++) {
      const name = names[i] as string;
      for (const { op, version } of ops) {
        into.push(await write(namespace, name, op, version));
        if (paceMs) await new Promise((r) => setTimeout(r, paceMs));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Background churn: cycles through `size` names, each created, updated and deleted, until stopped. */
export class ChurnLoop {
  readonly writes: WriteRecord[] = [];
  private stopped = false;
  private running: Promise<void>[] = [];

  constructor(
    private readonly namespace: string,
    private readonly size = 12,
    private readonly concurrency = 2,
  ) {}

  start(): this {
    let cursor = 0;
    for (let w = 0; w < this.concurrency; w++) {
      this.running.push(
        (async () => {
          while (!this.stopped) {
            const i = cursor++;
            const name = `churn-${i % this.size}`;
            const round = Math.floor(i / this.size);
            for (const [op, version] of [
              ['create', 2 * round + 1],
              ['update', 2 * round + 2],
              ['delete', 0],
            ] as const) {
              const w2 = await write(this.namespace, name, op, version);
              this.writes.push(w2);
              if (w2.status === 0) await new Promise((r) => setTimeout(r, 200));
              if (this.stopped && op !== 'delete') break;
            }
            await new Promise((r) => setTimeout(r, 100));
          }
        })(),
      );
    }
    return this;
  }

  async stop(): Promise<WriteRecord[]> {
    this.stopped = true;
    await Promise.all(this.running);
    return this.writes;
  }
}

interface FunctionView {
  metadata: { name: string; uid: string; generation: number; deletionTimestamp?: string };
  spec: { function?: string };
  status?: { observedGeneration?: number; conditions?: { type: string; status: string; reason: string }[] };
}

interface OwnedView {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
    ownerReferences?: { uid: string; controller?: boolean }[];
  };
  data?: Record<string, string>;
}

export async function observe(
  namespace: string,
): Promise<{ functions: ObservedFunction[]; owned: ObservedOwned[] }> {
  const fns = await getJson<{ items: FunctionView[] }>(`${GROUP_PATH}/namespaces/${namespace}/functions`);
  const sel = `labelSelector=${encodeURIComponent('created-by=kubeless')}`;
  const [cms, deps, svcs] = await Promise.all([
    getJson<{ items: OwnedView[] }>(`/api/v1/namespaces/${namespace}/configmaps?${sel}`),
    getJson<{ items: OwnedView[] }>(`/apis/apps/v1/namespaces/${namespace}/deployments?${sel}`),
    getJson<{ items: OwnedView[] }>(`/api/v1/namespaces/${namespace}/services?${sel}`),
  ]);
  const owned = (kind: ObservedOwned['kind'], items: OwnedView[]): ObservedOwned[] =>
    items.map((o) => ({
      kind,
      name: o.metadata.name,
      fn: o.metadata.labels?.function,
      ownerUid: o.metadata.ownerReferences?.find((r) => r.controller)?.uid,
      version:
        kind === 'ConfigMap'
          ? versionOfCode(Object.values(o.data ?? {}).find((v) => /return \d+/.test(v)))
          : undefined,
      deleting: Boolean(o.metadata.deletionTimestamp),
    }));
  return {
    functions: fns.items
      .filter((f) => !f.metadata.deletionTimestamp)
      .map((f) => ({
        name: f.metadata.name,
        uid: f.metadata.uid,
        version: versionOfCode(f.spec.function),
        generation: f.metadata.generation,
        observedGeneration: f.status?.observedGeneration,
        ready: f.status?.conditions?.find((c) => c.type === 'Ready'),
      })),
    owned: [
      ...owned('ConfigMap', cms.items),
      ...owned('Deployment', deps.items),
      ...owned('Service', svcs.items),
    ],
  };
}

export interface Convergence {
  verdict: ChurnVerdict;
  /** Seconds from the call until the namespace matched every answer (or the timeout). */
  seconds: number;
  converged: boolean;
}

/** Waits until the namespace shows every acknowledged write, nothing orphaned, nothing doubled. */
export async function waitConverged(
  namespace: string,
  writes: readonly WriteRecord[],
  timeoutMs: number,
  /** Judge only these names (others may be changing meanwhile). */
  only?: (name: string) => boolean,
): Promise<Convergence> {
  const started = Date.now();
  const acceptable = acceptableStates(writes);
  let verdict: ChurnVerdict = { lost: [], notConverged: ['not observed yet'], orphans: [], duplicates: [] };
  for (;;) {
    try {
      const seen = await observe(namespace);
      const keep = only ?? (() => true);
      verdict = judgeChurn(
        acceptable,
        seen.functions.filter((f) => keep(f.name)),
        seen.owned.filter((o) => keep(o.fn ?? o.name)),
      );
      const clean = Object.values(verdict).every((v: string[]) => v.length === 0);
      if (clean) return { verdict, seconds: (Date.now() - started) / 1000, converged: true };
    } catch {
      // The apiserver may still be coming back; keep polling until the deadline.
    }
    if (Date.now() - started > timeoutMs)
      return { verdict, seconds: (Date.now() - started) / 1000, converged: false };
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * The writes' row of the table. Lost: acknowledged writes the cluster does not show (or did not
 * converge to in time), and writes that got no answer (the client cannot tell whether they were
 * applied). Failed clearly: refused with a Status that says why.
 */
export function writeTally(writes: readonly WriteRecord[], c: Convergence): Tally {
  const unknown = writes.filter((w) => writeOutcome(w) === 'unknown').length;
  return {
    unit: 'writes',
    made: writes.length,
    lost: c.verdict.lost.length + (c.converged ? 0 : c.verdict.notConverged.length) + unknown,
    failedClearly: writes.filter((w) => writeOutcome(w) === 'clear').length,
  };
}
