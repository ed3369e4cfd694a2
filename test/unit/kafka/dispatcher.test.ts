// The dispatcher (which records may run together under each ordering mode) and the intake
// (what a fetched batch becomes), driven with controllable deliveries instead of a broker.
import { describe, expect, test } from '@jest/globals';
import type { KafkaMessage } from 'kafkajs';
import { takeBatch, type BatchPayload, type IntakeDeps } from '../../../kafka/batch.js';
import { Dispatcher, laneOf } from '../../../kafka/dispatcher.js';
import { PartitionOffsets } from '../../../kafka/offsets.js';
import type { Ordering, RecordInfo } from '../../../kafka/types.js';

const rec = (partition: number, offset: number, key: string | null): RecordInfo => ({
  topic: 't',
  partition,
  offset: String(offset),
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(String(offset)),
  timestamp: '0',
  headers: {},
});

/** A dispatcher whose deliveries finish only when the test says so. */
function harness(ordering: Ordering) {
  const running = new Map<string, () => void>();
  const finished: string[] = [];
  const started: string[] = [];
  const id = (r: RecordInfo): string => `${r.partition}:${r.offset}`;
  const d = new Dispatcher({
    ordering,
    run: (r, signal) =>
      new Promise<void>((resolve, reject) => {
        started.push(id(r));
        running.set(id(r), resolve);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    onFinished: (r) => finished.push(id(r)),
  });
  const finish = async (key: string): Promise<void> => {
    running.get(key)?.();
    running.delete(key);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { d, running, started, finished, finish };
}

describe('Dispatcher', () => {
  test('partition: one record at a time per partition, in offset order; partitions side by side', async () => {
    const h = harness('partition');
    for (const r of [rec(0, 1, 'a'), rec(0, 2, 'b'), rec(1, 7, 'a'), rec(0, 3, null)]) h.d.push(r);
    expect(h.started).toEqual(['0:1', '1:7']);
    await h.finish('0:1');
    expect(h.started).toEqual(['0:1', '1:7', '0:2']);
    await h.finish('0:2');
    await h.finish('0:3');
    expect(h.finished).toEqual(['0:1', '0:2', '0:3']);
    expect(h.d.pending).toBe(1);
  });

  test('key: different keys run together, one key waits for its previous record, keyless records keep partition order', async () => {
    const h = harness('key');
    for (const r of [rec(0, 1, 'a'), rec(0, 2, 'b'), rec(0, 3, 'a'), rec(0, 4, null), rec(0, 5, null)])
      h.d.push(r);
    expect(h.started).toEqual(['0:1', '0:2', '0:4']);
    await h.finish('0:2');
    expect(h.started).toEqual(['0:1', '0:2', '0:4']);
    await h.finish('0:1');
    expect(h.started).toContain('0:3');
    await h.finish('0:4');
    expect(h.started).toContain('0:5');
  });

  test('none: every record starts at once', () => {
    const h = harness('none');
    for (let o = 0; o < 5; o++) h.d.push(rec(0, o, 'same'));
    expect(h.started).toHaveLength(5);
  });

  test('abandoning a partition aborts its records: they never count as finished', async () => {
    const h = harness('key');
    h.d.push(rec(0, 1, 'a'));
    h.d.push(rec(1, 1, 'a'));
    expect(h.d.abandon((_t, p) => p === 1)).toEqual(['t|0']);
    await h.finish('0:1');
    await h.finish('1:1');
    expect(h.finished).toEqual(['1:1']);
    expect(h.d.pending).toBe(0);
  });

  test('lanes: the same bytes are the same key, different bytes are not', () => {
    expect(laneOf('key', rec(0, 1, 'k1'))).toBe(laneOf('key', rec(3, 9, 'k1')));
    expect(laneOf('key', rec(0, 1, 'k1'))).not.toBe(laneOf('key', rec(0, 1, 'k2')));
    expect(laneOf('none', rec(0, 1, 'k1'))).toBeUndefined();
  });
});

const message = (offset: number): KafkaMessage => ({
  offset: String(offset),
  key: null,
  value: Buffer.from('x'),
  timestamp: '0',
  attributes: 0,
  headers: {},
});

function intake(offsets: number[], maxRecords: number) {
  const resolved: string[] = [];
  const paused: number[] = [];
  const taken: string[] = [];
  const tracker = new PartitionOffsets();
  const p: BatchPayload = {
    batch: { topic: 't', partition: 0, highWatermark: '100', messages: offsets.map(message) },
    resolveOffset: (o) => void resolved.push(o),
    isRunning: () => true,
    isStale: () => false,
  };
  const deps: IntakeDeps = {
    offsets: () => tracker,
    dispatch: (r) => void taken.push(r.offset),
    buffered: () => ({ count: taken.length, bytes: 0 }),
    maxBufferedRecords: maxRecords,
    maxBufferedBytes: 1 << 30,
    pause: (_t, partition) => void paused.push(partition),
    onHighWatermark: () => undefined,
  };
  return { p, deps, resolved, paused, taken, tracker };
}

describe('takeBatch', () => {
  test('takes every record without waiting and resolves each taken offset', () => {
    const h = intake([3, 4, 6], 100);
    takeBatch(h.p, h.deps);
    expect(h.taken).toEqual(['3', '4', '6']);
    expect(h.resolved).toEqual(['3', '4', '6']);
    expect(h.tracker.commitPoint()).toBe(3n);
  });

  test('a full buffer pauses the partition and leaves the rest unresolved, to be fetched again', () => {
    const h = intake([0, 1, 2, 3, 4], 2);
    takeBatch(h.p, h.deps);
    expect(h.taken).toEqual(['0', '1']);
    expect(h.resolved).toEqual(['0', '1']);
    expect(h.paused).toEqual([0]);
  });

  test('a refetch (after a rebalance or a resume) skips what was taken already', () => {
    const h = intake([0, 1, 2], 100);
    takeBatch(h.p, h.deps);
    h.p.batch.messages = [0, 1, 2, 3].map(message);
    takeBatch(h.p, h.deps);
    expect(h.taken).toEqual(['0', '1', '2', '3']);
  });
});
