import { describe, expect, test } from '@jest/globals';
import type { KafkaMessage } from 'kafkajs';
import { processBatch, type BatchPayload } from '../../../kafka/batch.js';
import { PartitionLanes } from '../../../kafka/lanes.js';

function message(offset: number): KafkaMessage {
  return {
    offset: String(offset),
    key: null,
    value: Buffer.from(String(offset)),
    timestamp: '0',
    attributes: 0,
    headers: {},
  };
}

function payload(offsets: number[]) {
  const calls = { resolved: [] as string[], commits: [] as string[], paused: 0, resumed: 0 };
  let stale = false;
  const p: BatchPayload = {
    batch: { topic: 't', partition: 0, highWatermark: '100', messages: offsets.map(message) },
    resolveOffset: (o) => void calls.resolved.push(o),
    heartbeat: async () => undefined,
    pause: () => {
      calls.paused++;
      return () => void calls.resumed++;
    },
    commitOffsetsIfNecessary: async (o) => void calls.commits.push(o.topics[0]?.partitions[0]?.offset ?? ''),
    isRunning: () => true,
    isStale: () => stale,
  };
  return { p, calls, revoke: () => (stale = true) };
}

const deps = (
  deliver: (offset: string, signal: AbortSignal) => Promise<void>,
  lanes = new PartitionLanes(),
  slowMs = 2000,
) => ({
  lanes,
  deliver: (r: { offset: string }, signal: AbortSignal) => deliver(r.offset, signal),
  slowMs,
  commitIntervalMs: 60_000,
  onLag: () => undefined,
  onPaused: () => undefined,
});

describe('processBatch', () => {
  test('delivers in offset order, one at a time, and commits the next offset after the last delivered', async () => {
    const order: string[] = [];
    let open = 0;
    let maxOpen = 0;
    const { p, calls } = payload([5, 6, 7]);
    await processBatch(
      p,
      deps(async (o) => {
        open++;
        maxOpen = Math.max(maxOpen, open);
        order.push(o);
        await new Promise((r) => setTimeout(r, 2));
        open--;
      }),
    );
    expect(order).toEqual(['5', '6', '7']);
    expect(maxOpen).toBe(1);
    expect(calls.resolved).toEqual(['5', '6', '7']);
    expect(calls.commits).toEqual(['8']);
  });

  test('a slow record pauses the partition, commits only what was delivered, and is not delivered twice on refetch', async () => {
    const lanes = new PartitionLanes();
    let deliveries = 0;
    let finish: () => void = () => undefined;
    const slow = new Promise<void>((r) => (finish = r));
    const d = deps(
      async (o) => {
        deliveries++;
        if (o === '6') await slow;
      },
      lanes,
      100,
    );
    const first = payload([5, 6, 7]);
    await processBatch(first.p, d);
    expect(first.calls.resolved).toEqual(['5']);
    expect(first.calls.commits).toEqual(['6']);
    expect(first.calls.paused).toBe(1);
    finish();
    await new Promise((r) => setTimeout(r, 5));
    expect(first.calls.resumed).toBe(1);
    // kafkajs refetches from the first unresolved offset: 6 is taken from the finished task.
    const again = payload([6, 7]);
    await processBatch(again.p, d);
    expect(again.calls.resolved).toEqual(['6', '7']);
    expect(deliveries).toBe(3);
  });

  test('an abandoned delivery (revoke) resolves and commits nothing', async () => {
    const lanes = new PartitionLanes();
    const { p, calls, revoke } = payload([5, 6]);
    const run = processBatch(
      p,
      deps(
        (_o, signal) =>
          new Promise<void>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason as Error)),
          ),
        lanes,
      ),
    );
    revoke();
    lanes.abandon();
    await run;
    expect(calls.resolved).toEqual([]);
    expect(calls.commits).toEqual([]);
  });
});
