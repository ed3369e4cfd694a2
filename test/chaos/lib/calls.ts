// Continuous invoke calls through kube-apiserver (the aggregated API, as `kubectl create --raw`
// does), alternating idempotent GETs and POSTs, each answer checked. What a client saw is kept per
// call so a scenario can say which calls failed and when.
import { kubeRequest, statusMessage, type Answer } from './kube.js';

export type CallOutcome = 'ok' | 'clear' | 'lost';

export interface CallRecord {
  n: number;
  method: 'GET' | 'POST';
  startedAt: number;
  endedAt: number;
  status: number;
  outcome: CallOutcome;
  /** What the client saw when it was not ok: the Status message, the transport error, the body. */
  detail?: string;
}

/**
 * How a client fares with an answer:
 * - ok: a 200 with the function's answer to this very call;
 * - clear: refused with an error that says what happened — an HTTP error with a message (a
 *   Kubernetes Status, or the aggregator's plain-text 503), or a refused connection (nothing
 *   reached the server, a retry is safe);
 * - lost: no answer (reset, timeout), a wrong answer, or an error without a message: the client
 *   cannot tell what happened.
 */
export function classifyCall(
  n: number,
  a: Pick<Answer, 'status' | 'body' | 'error'>,
): { outcome: CallOutcome; detail?: string } {
  if (a.status === 200) {
    try {
      const got = JSON.parse(a.body) as { n?: unknown };
      if (got.n === n) return { outcome: 'ok' };
    } catch {
      // Not the function's JSON: a wrong answer.
    }
    return { outcome: 'lost', detail: `200 with a wrong answer: ${a.body.slice(0, 200)}` };
  }
  if (a.status === 0) {
    const detail = `no answer: ${a.error ?? 'unknown error'}`;
    return { outcome: a.error === 'ECONNREFUSED' ? 'clear' : 'lost', detail };
  }
  // kube-apiserver's aggregator answers some failures in plain text (503 "error trying to reach
  // service: ..."): kubectl shows it as well as a Status, so it counts as clear too.
  const message = statusMessage(a.body) ?? (/^[^{<]/.test(a.body.trim()) ? a.body.trim() : undefined);
  if (message) return { outcome: 'clear', detail: `${a.status}: ${message.slice(0, 300)}` };
  return { outcome: 'lost', detail: `${a.status} without a message: ${a.body.slice(0, 200)}` };
}

/** Reads the call's fields: the query of a GET, the JSON body of a POST (runtime code, shared by the functions below). */
const READ_FIELDS = [
  'const fieldsOf = (event) => {',
  '  const req = event.extensions.request;',
  "  if (req.method === 'GET') return Object.fromEntries([...new URL(req.url, 'http://x').searchParams].map(([k, v]) => [k, Number(v)]));",
  '  let data = event.data;',
  '  if (Buffer.isBuffer(data)) data = data.toString();',
  "  return typeof data === 'string' ? JSON.parse(data) : data;",
  '};',
];

/** The echo Function: answers the call's number. */
export const ECHO_CODE = [
  ...READ_FIELDS,
  'module.exports.handler = (event) => ({ n: fieldsOf(event).n, pod: process.env.HOSTNAME });',
  '',
].join('\n');

/** A Function that keeps `mb` MiB more on every call, until its memory limit ends it (scenario 7). */
export const HOG_CODE = [
  ...READ_FIELDS,
  'const kept = [];',
  'module.exports.handler = (event) => {',
  '  const { n, mb } = fieldsOf(event);',
  '  for (let i = 0; i < (mb || 0); i++) kept.push(Buffer.alloc(1024 * 1024, 1));',
  '  return { n, keptMiB: kept.length };',
  '};',
  '',
].join('\n');

export function invokePath(namespace: string, name: string): string {
  return `/apis/subresources.kubeless.io/v1/namespaces/${namespace}/functions/${name}/invoke`;
}

/** Callers that keep invoking a Function until stopped. */
export class CallLoop {
  readonly records: CallRecord[] = [];
  private next = 0;
  private stopped = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly namespace: string,
    private readonly name: string,
    private readonly opts: {
      workers?: number;
      timeoutMs?: number;
      pauseMs?: number;
      /** More query parameters (GET) or body fields (POST) for the function, e.g. { mb: 4 }. */
      extra?: Record<string, number>;
    } = {},
  ) {}

  start(): this {
    for (let w = 0; w < (this.opts.workers ?? 2); w++) this.workers.push(this.work());
    return this;
  }

  async stop(): Promise<CallRecord[]> {
    this.stopped = true;
    await Promise.all(this.workers);
    return this.records;
  }

  /** Resolves once the last `count` calls have all succeeded (or rejects after `timeoutMs`). */
  async steady(count: number, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.records.length < count || this.records.slice(-count).some((r) => r.outcome !== 'ok')) {
      if (Date.now() > deadline) {
        const bad = this.records.slice(-count).find((r) => r.outcome !== 'ok');
        throw new Error(
          `calls to ${this.namespace}/${this.name} did not answer right ${count} times in a row in ${timeoutMs} ms; e.g. ${bad?.detail ?? 'no calls'}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Resolves once `count` more calls have succeeded (or rejects after `timeoutMs`). */
  async successes(count: number, timeoutMs = 120_000): Promise<void> {
    const want = this.records.filter((r) => r.outcome === 'ok').length + count;
    const deadline = Date.now() + timeoutMs;
    while (this.records.filter((r) => r.outcome === 'ok').length < want) {
      if (Date.now() > deadline) {
        const last = this.records.at(-1);
        throw new Error(
          `calls to ${this.namespace}/${this.name} did not succeed ${count} times in ${timeoutMs} ms; last: ${last?.detail ?? 'none'}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async work(): Promise<void> {
    const base = invokePath(this.namespace, this.name);
    while (!this.stopped) {
      const n = this.next++;
      const method = n % 2 === 0 ? 'GET' : 'POST';
      const fields = { n, ...this.opts.extra };
      const query = Object.entries(fields)
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      const a =
        method === 'GET'
          ? await kubeRequest('GET', `${base}?${query}`, { timeoutMs: this.opts.timeoutMs })
          : await kubeRequest('POST', base, { body: JSON.stringify(fields), timeoutMs: this.opts.timeoutMs });
      this.records.push({
        n,
        method,
        startedAt: a.startedAt,
        endedAt: a.endedAt,
        status: a.status,
        ...classifyCall(n, a),
      });
      // A refused connection comes back at once: don't spin while the apiserver is down.
      if (a.status === 0 || this.opts.pauseMs)
        await new Promise((r) => setTimeout(r, this.opts.pauseMs ?? 100));
    }
  }
}

export interface CallSummary {
  made: number;
  ok: number;
  clear: number;
  lost: number;
  /** Up to five distinct things clients saw, with how often. */
  seen: string[];
}

export function summarizeCalls(records: readonly CallRecord[]): CallSummary {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (r.outcome === 'ok' || !r.detail) continue;
    // Pod names and numbers vary; the kind of failure is what matters.
    const key = `${r.outcome}: ${r.detail.replace(/\b[a-z0-9]+-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, '<pod>').replace(/\d+(\.\d+)+/g, '<addr>')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return {
    made: records.length,
    ok: records.filter((r) => r.outcome === 'ok').length,
    clear: records.filter((r) => r.outcome === 'clear').length,
    lost: records.filter((r) => r.outcome === 'lost').length,
    seen: [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, v]) => `${v}x ${k.slice(0, 240)}`),
  };
}

/**
 * Seconds from `sinceMs` (the fault's end) until the end of the last call that failed; 0 when none
 * failed after it. Calls that started before `sinceMs` count too: a client waiting on one waited that long.
 */
export function recoveryAfter(records: readonly CallRecord[], sinceMs: number): number {
  const lastFailure = records.filter((r) => r.outcome !== 'ok').reduce((t, r) => Math.max(t, r.endedAt), 0);
  return Math.max(0, (lastFailure - sinceMs) / 1000);
}
