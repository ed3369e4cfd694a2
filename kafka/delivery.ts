import type { Logger } from 'pino';
import type { FunctionConnections } from '../lib/invoke/connections.js';
import { backoffMs, sleep } from './backoff.js';
import { deadLetterRecord, deliveryHeaders, type DeliveryFailure } from './headers.js';
import { postOnce, type PostResult } from './http.js';
import type { KafkaMetrics } from './metrics.js';
import type { Semaphore } from './semaphore.js';
import {
  FunctionNotReady,
  type FunctionRef,
  type FunctionTarget,
  type RecordInfo,
  type TriggerConfig,
  type UrlResolver,
} from './types.js';

export type DeadLetterRecord = ReturnType<typeof deadLetterRecord>;

/** Everything one delivery needs, injected so that tests and the local platform can swap parts. */
export interface DeliveryContext {
  trigger: TriggerConfig;
  /** The functions the selector picks right now (followed live). */
  targets(): FunctionTarget[];
  resolveUrl: UrlResolver;
  /** Kept connections to functions; absent: the process's own (kafka/http.ts). */
  connections?: FunctionConnections;
  limiter: Semaphore;
  metrics: KafkaMetrics;
  /** Writes one record to the dead-letter topic; throws when the broker did not take it. */
  deadLetter(record: DeadLetterRecord): Promise<void>;
  log: Logger;
  /** Told whenever a record waits because no function matches, so status can say so. */
  onNoTargets?(waiting: boolean): void;
  random?: () => number;
}

export interface RecordOutcome {
  delivered: FunctionRef[];
  deadLettered: FunctionRef[];
}

function labels(
  ctx: DeliveryContext,
  fn: FunctionRef,
): { namespace: string; trigger: string; function: string } {
  return { namespace: ctx.trigger.namespace, trigger: ctx.trigger.name, function: fn.name };
}

async function postWithSlot(
  ctx: DeliveryContext,
  fn: FunctionTarget,
  record: RecordInfo,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<PostResult> {
  let url: string;
  try {
    url = await ctx.resolveUrl(fn);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    // A function that is not up yet is asked again later, like one that answers 503.
    return { ok: false, error, retryable: true, backpressure: err instanceof FunctionNotReady };
  }
  const release = await ctx.limiter.acquire();
  const gauge = ctx.metrics.inFlight.labels(ctx.trigger.namespace, ctx.trigger.name);
  gauge.inc();
  try {
    if (signal.aborted) throw signal.reason;
    return await postOnce(
      url,
      record.value ?? Buffer.alloc(0),
      headers,
      ctx.trigger.timeoutMs,
      signal,
      ctx.connections,
    );
  } finally {
    gauge.dec();
    release();
  }
}

/** Writing to the dead-letter topic is retried until the broker takes it: dropping it would lose the message. */
async function deadLetterUntilStored(
  ctx: DeliveryContext,
  record: RecordInfo,
  failure: DeliveryFailure,
  signal: AbortSignal,
): Promise<void> {
  const dlq = deadLetterRecord(record, ctx.trigger, failure, new Date());
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw signal.reason;
    try {
      await ctx.deadLetter(dlq);
      return;
    } catch (err) {
      ctx.log.warn(
        {
          topic: ctx.trigger.deadLetterTopic,
          attempt,
          err: err instanceof Error ? err.message : String(err),
        },
        'dead-letter write failed; retrying (the source offset stays uncommitted meanwhile)',
      );
      await sleep(
        backoffMs(attempt, ctx.trigger.initialBackoffMs, ctx.trigger.maxBackoffMs, ctx.random),
        signal,
      );
    }
  }
}

/** A Retry-After longer than this is read as this: a record should not sit out a day on one answer. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

async function deliverToFunction(
  ctx: DeliveryContext,
  fn: FunctionTarget,
  record: RecordInfo,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<boolean> {
  const l = labels(ctx, fn);
  let last: { error?: string; status?: number } = {};
  let attempts = 0;
  let waits = 0;
  for (;;) {
    const res = await postWithSlot(ctx, fn, record, headers, signal);
    if (signal.aborted) throw signal.reason;
    if (res.ok) {
      ctx.metrics.delivered.inc(l);
      return true;
    }
    if (res.backpressure) {
      // The function is not taking work (429, 503, not listening yet): the lane waits, the
      // record keeps all its attempts, and the wait follows Retry-After when the function gave one.
      waits++;
      ctx.metrics.backpressure.inc(l);
      ctx.log.debug(
        { function: fn.name, partition: record.partition, offset: record.offset, err: res.error },
        'function asked to slow down; waiting',
      );
      const delay =
        res.retryAfterMs !== undefined
          ? Math.min(res.retryAfterMs, MAX_RETRY_AFTER_MS)
          : backoffMs(waits, ctx.trigger.initialBackoffMs, ctx.trigger.maxBackoffMs, ctx.random);
      await sleep(delay, signal);
      continue;
    }
    attempts++;
    waits = 0;
    ctx.metrics.failed.inc(l);
    last = res;
    ctx.log.debug(
      {
        function: fn.name,
        offset: record.offset,
        partition: record.partition,
        attempt: attempts,
        err: res.error,
      },
      'delivery attempt failed',
    );
    if (!res.retryable || attempts >= ctx.trigger.maxAttempts) break;
    ctx.metrics.retried.inc(l);
    await sleep(
      backoffMs(attempts, ctx.trigger.initialBackoffMs, ctx.trigger.maxBackoffMs, ctx.random),
      signal,
    );
  }
  ctx.log.warn(
    {
      function: fn.name,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      attempts,
      err: last.error,
    },
    `delivery failed after ${attempts} attempts; writing the message to ${ctx.trigger.deadLetterTopic}`,
  );
  await deadLetterUntilStored(
    ctx,
    record,
    { function: fn, attempts, error: last.error ?? 'unknown error', status: last.status },
    signal,
  );
  ctx.metrics.deadLettered.inc(l);
  return false;
}

/** Waits (with backoff) until the selector picks at least one function: committing first would lose the record. */
async function awaitTargets(ctx: DeliveryContext, signal: AbortSignal): Promise<FunctionTarget[]> {
  for (let attempt = 1; ; attempt++) {
    const targets = ctx.targets();
    if (targets.length > 0) {
      if (attempt > 1) ctx.onNoTargets?.(false);
      return targets;
    }
    if (attempt === 1) {
      ctx.onNoTargets?.(true);
      ctx.log.warn(
        { selector: ctx.trigger.functionSelector },
        'no function matches functionSelector; holding the partition until one does',
      );
    }
    await sleep(
      backoffMs(attempt, ctx.trigger.initialBackoffMs, Math.min(ctx.trigger.maxBackoffMs, 5_000), ctx.random),
      signal,
    );
  }
}

/**
 * Delivers one record to every function the trigger selects, each with its own retries, and
 * dead-letters it per function that never accepted it. Resolves once every function either took
 * the record or its dead-letter copy is stored: only then may the offset be committed. Rejects
 * only when `signal` aborts (stop or revoke), and then nothing may be committed.
 */
export async function deliverRecord(
  ctx: DeliveryContext,
  record: RecordInfo,
  signal: AbortSignal,
): Promise<RecordOutcome> {
  const targets = await awaitTargets(ctx, signal);
  // Built once per record: every function and every attempt sends the same event.
  const headers = deliveryHeaders(record, ctx.trigger);
  const results = await Promise.all(targets.map((fn) => deliverToFunction(ctx, fn, record, headers, signal)));
  const outcome: RecordOutcome = { delivered: [], deadLettered: [] };
  targets.forEach((fn, i) => (results[i] ? outcome.delivered : outcome.deadLettered).push(fn));
  return outcome;
}
