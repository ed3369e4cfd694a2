// What the real-node scenarios set up and watch: namespaces, Functions with pods, their Ready
// condition over time, the kube-apiserver's readiness.
import { getJson, kubeRequest } from './kube.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function ensureNamespace(name: string): Promise<void> {
  const a = await kubeRequest('POST', '/api/v1/namespaces', {
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  });
  if (a.status !== 201 && a.status !== 409)
    throw new Error(`creating namespace ${name}: ${a.status} ${a.body}`);
}

/** Deletes a namespace without waiting (the next run's names differ or it is gone by then). */
export async function dropNamespace(name: string): Promise<void> {
  await kubeRequest('DELETE', `/api/v1/namespaces/${name}`);
}

export interface FunctionSpec {
  runtime: string;
  handler: string;
  function: string;
  deployment?: Record<string, unknown>;
}

/** Creates a Function, or replaces the spec of one left by an earlier run. */
export async function putFunction(namespace: string, name: string, spec: FunctionSpec): Promise<void> {
  const path = `/apis/kubeless.io/v1beta1/namespaces/${namespace}/functions`;
  const body = { apiVersion: 'kubeless.io/v1beta1', kind: 'Function', metadata: { name, namespace }, spec };
  const a = await kubeRequest('POST', path, { body: JSON.stringify(body) });
  if (a.status === 201) return;
  if (a.status === 409) {
    const p = await kubeRequest('PATCH', `${path}/${name}`, {
      body: JSON.stringify({ spec: { ...spec, checksum: null } }),
      contentType: 'application/merge-patch+json',
    });
    if (p.status === 200) return;
    throw new Error(`updating Function ${namespace}/${name}: ${p.status} ${p.body}`);
  }
  throw new Error(`creating Function ${namespace}/${name}: ${a.status || a.error} ${a.body}`);
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface FunctionView {
  metadata: { name: string; uid: string; generation: number };
  status?: { observedGeneration?: number; readyReplicas?: number; conditions?: Condition[] };
}

export async function readFunction(namespace: string, name: string): Promise<FunctionView> {
  return getJson<FunctionView>(`/apis/kubeless.io/v1beta1/namespaces/${namespace}/functions/${name}`);
}

export function ready(fn: FunctionView): Condition | undefined {
  return fn.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Polls until `check` returns a value; rejects after `timeoutMs` with `what` and the last error. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `; last error: ${last}` : ''}`,
      );
    await sleep(intervalMs);
  }
}

export async function functionReady(namespace: string, name: string, timeoutMs: number): Promise<void> {
  await until(
    `Function ${namespace}/${name} Ready`,
    async () => {
      const fn = await readFunction(namespace, name);
      return ready(fn)?.status === 'True' && fn.status?.observedGeneration === fn.metadata.generation;
    },
    timeoutMs,
    1000,
  );
}

/** kube-apiserver answers /readyz. */
export async function apiserverReady(): Promise<boolean> {
  const a = await kubeRequest('GET', '/readyz', { timeoutMs: 5000 });
  return a.status === 200;
}

export interface ConditionChange {
  at: number;
  status: string;
  reason: string;
  message: string;
}

/** Records every change of a Function's Ready condition (and other conditions) while it runs. */
export class StatusTimeline {
  readonly changes: ConditionChange[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly namespace: string,
    private readonly name: string,
  ) {}

  start(): this {
    this.loop = (async () => {
      let last = '';
      while (!this.stopped) {
        try {
          const fn = await readFunction(this.namespace, this.name);
          for (const c of fn.status?.conditions ?? []) {
            const key = `${c.type}=${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`;
            if (!last.includes(`|${key}|`)) {
              this.changes.push({
                at: Date.now(),
                status: `${c.type}=${c.status}`,
                reason: c.reason ?? '',
                message: c.message ?? '',
              });
            }
          }
          last = `|${(fn.status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`).join('|')}|`;
        } catch {
          // The apiserver may be down during the fault; the timeline resumes when it is back.
        }
        await sleep(1000);
      }
    })();
    return this;
  }

  async stop(): Promise<ConditionChange[]> {
    this.stopped = true;
    await this.loop;
    return this.changes;
  }
}

/** Events about an object (involvedObject), newest last. */
export async function eventsFor(
  namespace: string,
  kind: string,
  name: string,
): Promise<{ type: string; reason: string; message: string }[]> {
  const sel = encodeURIComponent(`involvedObject.kind=${kind},involvedObject.name=${name}`);
  const list = await getJson<{
    items: { type: string; reason: string; message: string; lastTimestamp?: string }[];
  }>(`/api/v1/namespaces/${namespace}/events?fieldSelector=${sel}`);
  return list.items;
}
