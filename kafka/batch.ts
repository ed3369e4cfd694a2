import type { KafkaMessage } from 'kafkajs';
import { settledWithin, type PartitionLanes } from './lanes.js';
import type { RecordInfo } from './types.js';

/** The parts of kafkajs's EachBatchPayload the batch loop uses (a subset, so tests can drive it). */
export interface BatchPayload {
  batch: { topic: string; partition: number; highWatermark: string; messages: KafkaMessage[] };
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  pause(): () => void;
  commitOffsetsIfNecessary(offsets: {
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface BatchDeps {
  lanes: PartitionLanes;
  deliver(record: RecordInfo, signal: AbortSignal): Promise<void>;
  /** How long a record may take before its partition is paused so that others can move on. */
  slowMs: number;
  /** How often offsets are committed while a long batch runs (and always at its end). */
  commitIntervalMs: number;
  onLag(topic: string, partition: number, lag: number): void;
  onPaused(delta: 1 | -1): void;
  /** Diagnostics: batch boundaries and commits (debug level in the component). */
  trace?(event: string, fields: Record<string, unknown>): void;
}

export function toRecord(topic: string, partition: number, m: KafkaMessage): RecordInfo {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ?? null,
    value: m.value ?? null,
    timestamp: m.timestamp,
    headers: m.headers ?? {},
  };
}

function next(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/**
 * Delivers a batch in offset order and commits only what was delivered or dead-lettered. Returns
 * early (committing what is done, nothing else) when the consumer stops, the partition is
 * revoked or re-seeked, or the head record is slow (then the partition is paused until its
 * delivery settles; kafkajs refetches from the first unresolved offset on resume).
 */
export async function processBatch(p: BatchPayload, deps: BatchDeps): Promise<void> {
  const { topic, partition } = p.batch;
  let resolved: string | undefined;
  let committed: string | undefined;
  let lastCommit = Date.now();
  const commit = async (): Promise<void> => {
    if (resolved === undefined || resolved === committed) return;
    const offset = next(resolved);
    await p.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
    deps.trace?.('commit', { partition, offset });
    committed = resolved;
    lastCommit = Date.now();
  };
  const msgs = p.batch.messages;
  deps.trace?.('batch', {
    partition,
    first: msgs[0]?.offset,
    last: msgs[msgs.length - 1]?.offset,
    count: msgs.length,
  });
  for (const m of p.batch.messages) {
    if (!p.isRunning() || p.isStale()) break;
    const record = toRecord(topic, partition, m);
    const task = deps.lanes.taskFor(record, (signal) => deps.deliver(record, signal));
    if (!(await settledWithin(task, deps.slowMs))) {
      const resume = p.pause();
      deps.onPaused(1);
      void task.done.then(() => {
        deps.onPaused(-1);
        resume();
      });
      break;
    }
    if (task.error !== undefined) {
      // Abandoned (revoked or stopping): leave the offset unresolved so the next owner redelivers.
      deps.lanes.clear(topic, partition, m.offset);
      break;
    }
    if (!p.isRunning() || p.isStale()) break;
    if (resolved !== undefined && BigInt(m.offset) !== BigInt(resolved) + 1n) {
      deps.trace?.('gap', { partition, after: resolved, offset: m.offset });
    }
    p.resolveOffset(m.offset);
    deps.lanes.clear(topic, partition, m.offset);
    resolved = m.offset;
    deps.onLag(topic, partition, Math.max(0, Number(BigInt(p.batch.highWatermark) - BigInt(m.offset) - 1n)));
    if (Date.now() - lastCommit >= deps.commitIntervalMs) await commit();
    await p.heartbeat();
  }
  // A revoked partition belongs to someone else now: its uncommitted records are theirs to redeliver.
  if (!p.isStale()) await commit();
}
