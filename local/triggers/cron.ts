// CronJobTriggers of the local platform: one timer per trigger, each firing a POST of the payload
// to the function's runtime process with the event headers the original Kubeless CronJob sent.
// Like a CronJob with concurrencyPolicy Forbid, a firing is skipped while the previous call runs.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { encodePayload } from '../../controller/triggers/cronjob.js';
import { kubelessEventHeaders } from '../../lib/function/event-headers.js';
import { callFunction } from '../../lib/invoke/call.js';
import type { FunctionConnections } from '../../lib/invoke/connections.js';
import { nextRun, type Schedule } from '../../lib/function/schedule.js';
import { CRON_EVENT_NAMESPACE } from '../../lib/function/triggers.js';
import type { CronJobTrigger } from '../../lib/types.js';
import type { FunctionBackend } from '../api/subresources.js';
import { keyFields } from '../store/store.js';

/** setTimeout's limit; a longer wait (e.g. @yearly) is taken in several steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface Firing {
  headers: Record<string, string>;
  body: string;
}

/** The request one firing sends. Pure. */
export function firingRequest(t: CronJobTrigger, now: Date, id: string): Firing {
  const { data, contentType } = encodePayload(t.spec.payload);
  return {
    headers: {
      'content-type': contentType,
      ...kubelessEventHeaders({ id, type: contentType, time: now, namespace: CRON_EVENT_NAMESPACE }),
    },
    body: data,
  };
}

/**
 * When to fire after a firing planned for `planned` ran at `now`: the next slot, or, when the
 * platform fell behind (suspended laptop, busy machine), the next slot after now. Missed slots
 * are dropped rather than fired in a burst.
 */
export function followingRun(s: Schedule, planned: Date, now: Date): Date {
  const n = nextRun(s, planned);
  return n.getTime() > now.getTime() ? n : nextRun(s, now);
}

interface Entry {
  trigger: CronJobTrigger;
  schedule: Schedule;
  /** Identity of what is scheduled; a status-only update of the trigger keeps the timer. */
  signature: string;
  next: Date;
  timer: NodeJS.Timeout | undefined;
  inFlight: AbortController | undefined;
  /** The last skip written to the function's log; repeating it every second would bury the log. */
  lastSkip: string | undefined;
}

export interface CronDeps {
  backend: FunctionBackend;
  connections: FunctionConnections;
  logger: Logger;
}

export class CronScheduler {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly deps: CronDeps) {}

  /** Starts or replaces the timer of a trigger; an unchanged spec keeps its timer. */
  set(key: string, trigger: CronJobTrigger, schedule: Schedule): void {
    const signature = JSON.stringify([trigger.spec, trigger.metadata.generation]);
    const cur = this.entries.get(key);
    if (cur && cur.signature === signature) {
      cur.trigger = trigger;
      return;
    }
    if (cur) clearTimeout(cur.timer);
    const entry: Entry = {
      trigger,
      schedule,
      signature,
      next: nextRun(schedule, new Date()),
      timer: undefined,
      inFlight: undefined,
      lastSkip: undefined,
    };
    this.entries.set(key, entry);
    this.arm(key, entry);
  }

  remove(key: string): void {
    const cur = this.entries.get(key);
    if (!cur) return;
    clearTimeout(cur.timer);
    cur.inFlight?.abort();
    this.entries.delete(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  private arm(key: string, entry: Entry): void {
    const wait = Math.min(Math.max(0, entry.next.getTime() - Date.now()), MAX_TIMER_MS);
    entry.timer = setTimeout(() => this.tick(key, entry), wait);
  }

  private tick(key: string, entry: Entry): void {
    if (this.entries.get(key) !== entry) return;
    const now = new Date();
    // A long wait is taken in steps, and a timer may wake a millisecond early.
    if (now.getTime() < entry.next.getTime() - 1) {
      this.arm(key, entry);
      return;
    }
    void this.fire(entry, now).catch((err: Error) =>
      this.deps.logger.error({ ...keyFields(key), err: err.message }, 'cron trigger firing failed'),
    );
    entry.next = followingRun(entry.schedule, entry.next, now);
    this.arm(key, entry);
  }

  private async fire(entry: Entry, now: Date): Promise<void> {
    const t = entry.trigger;
    const ns = t.metadata.namespace ?? 'default';
    const fnName = t.spec['function-name'];
    const who = `cronjobtrigger ${ns}/${t.metadata.name ?? ''}`;
    const ep = this.deps.backend.endpoint(ns, fnName);
    if (ep.state === 'missing') {
      this.deps.logger.warn(
        { kind: 'CronJobTrigger', namespace: ns, name: t.metadata.name, function: fnName },
        'cron trigger skipped: the Function does not exist',
      );
      return;
    }
    const log = this.deps.backend.log(ns, fnName);
    const skip =
      ep.state !== 'ready'
        ? `the function is not ready (${ep.state === 'failed' ? ep.reason : 'starting'})`
        : entry.inFlight
          ? 'the previous call is still running (concurrencyPolicy Forbid)'
          : undefined;
    if (skip !== undefined || ep.state !== 'ready') {
      if (skip !== entry.lastSkip)
        log.line(`${who}: skipped, ${skip}; further skips for this reason are not logged`);
      entry.lastSkip = skip;
      return;
    }
    entry.lastSkip = undefined;
    const id = randomUUID();
    const req = firingRequest(t, now, id);
    const abort = new AbortController();
    entry.inFlight = abort;
    const started = Date.now();
    try {
      const res = await callFunction(
        this.deps.connections,
        { host: '127.0.0.1', port: ep.port },
        { method: 'POST', path: '/', headers: req.headers, body: Buffer.from(req.body) },
        // The function's own 408 comes at its timeout; the deadline only bounds a process that hangs.
        { timeoutMs: ep.deadlineMs, maxAnswerBytes: 0, signal: abort.signal },
      );
      log.line(`${who}: called (event-id ${id}): ${res.status} in ${Date.now() - started} ms`);
    } catch (err) {
      log.line(`${who}: call failed (event-id ${id}): ${(err as Error).message}`);
    } finally {
      if (entry.inFlight === abort) entry.inFlight = undefined;
    }
  }

  close(): void {
    for (const key of [...this.entries.keys()]) this.remove(key);
  }
}
