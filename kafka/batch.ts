import type { KafkaMessage } from 'kafkajs';
import { recordSize } from './dispatcher.js';
import type { PartitionOffsets } from './offsets.js';
import type { RecordInfo } from './types.js';

/** The parts of kafkajs's EachBatchPayload the intake uses (a subset, so tests can drive it). */
export interface BatchPayload {
  batch: { topic: string; partition: number; highWatermark: string; messages: KafkaMessage[] };
  resolveOffset(offset: string): void;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface IntakeDeps {
  /** The partition's offset tracker (created on first use, dropped when the partition goes). */
  offsets(topic: string, partition: number): PartitionOffsets;
  /** Hands a taken record to the dispatcher. */
  dispatch(record: RecordInfo): void;
  /** What the partition holds now (taken, unfinished). */
  buffered(topic: string, partition: number): { count: number; bytes: number };
  /** Bounds of that buffer: past them the partition is paused until it drains. */
  maxBufferedRecords: number;
  maxBufferedBytes: number;
  pause(topic: string, partition: number): void;
  onHighWatermark(topic: string, partition: number, highWatermark: bigint): void;
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

/**
 * Takes a fetched batch into the dispatcher without waiting for any delivery, so a slow record
 * never holds up the fetch of other partitions. Each taken record is resolved in kafkajs (which
 * only moves its fetch position; commits come from the offset tracker). A record taken before
 * (a refetch after a rebalance) is skipped. When the partition's buffer is full it is paused and
 * the rest of the batch is left unresolved, to be fetched again once the buffer drained.
 */
export function takeBatch(p: BatchPayload, deps: IntakeDeps): void {
  const { topic, partition } = p.batch;
  const offsets = deps.offsets(topic, partition);
  deps.onHighWatermark(topic, partition, BigInt(p.batch.highWatermark));
  for (const m of p.batch.messages) {
    if (!p.isRunning() || p.isStale()) return;
    const offset = BigInt(m.offset);
    if (offsets.seen(offset)) {
      p.resolveOffset(m.offset);
      continue;
    }
    const record = toRecord(topic, partition, m);
    const held = deps.buffered(topic, partition);
    if (
      held.count > 0 &&
      (held.count >= deps.maxBufferedRecords || held.bytes + recordSize(record) > deps.maxBufferedBytes)
    ) {
      deps.pause(topic, partition);
      return;
    }
    offsets.take(offset);
    deps.dispatch(record);
    p.resolveOffset(m.offset);
  }
}
