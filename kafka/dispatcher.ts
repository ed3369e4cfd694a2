// Runs the records a consumer took, as concurrently as the trigger's ordering allows: records of
// one lane run one at a time in offset order, lanes run side by side. The HTTP concurrency cap
// (maxInFlight) is applied further down, per request (kafka/delivery.ts).
import { setMaxListeners } from 'node:events';
import type { Ordering, RecordInfo } from './types.js';

/**
 * The lane a record waits in; undefined means it waits for nothing. `key`: records without a key
 * keep partition order among themselves, since their producer asked for no grouping at all.
 */
export function laneOf(ordering: Ordering, r: RecordInfo): string | undefined {
  if (ordering === 'none') return undefined;
  if (ordering === 'partition' || r.key === null) return '-';
  // latin1 maps bytes one to one, so distinct keys stay distinct without an encoding pass.
  return `k${r.key.toString('latin1')}`;
}

/** Bytes a buffered record holds, for the buffer bound (value, key, and a share of overhead). */
export function recordSize(r: RecordInfo): number {
  return (r.value?.length ?? 0) + (r.key?.length ?? 0) + 128;
}

interface PartitionWork {
  controller: AbortController;
  lanes: Map<string, RecordInfo[]>;
  count: number;
  bytes: number;
}

export interface DispatcherOptions {
  ordering: Ordering;
  /** Delivers one record; rejects only when `signal` aborts (then the record is not finished). */
  run(record: RecordInfo, signal: AbortSignal): Promise<void>;
  /** A record was delivered or dead-lettered: its offset may count as done. */
  onFinished(record: RecordInfo): void;
}

const partKey = (topic: string, partition: number): string => `${topic}|${partition}`;

export class Dispatcher {
  private readonly parts = new Map<string, PartitionWork>();
  private total = 0;

  constructor(private readonly opts: DispatcherOptions) {}

  /** Records taken and not finished, over all partitions. */
  get pending(): number {
    return this.total;
  }

  /** What one partition holds: records taken and not finished, and their bytes. */
  buffered(topic: string, partition: number): { count: number; bytes: number } {
    const w = this.parts.get(partKey(topic, partition));
    return { count: w?.count ?? 0, bytes: w?.bytes ?? 0 };
  }

  push(record: RecordInfo): void {
    const k = partKey(record.topic, record.partition);
    let work = this.parts.get(k);
    if (!work) {
      const controller = new AbortController();
      // Every running delivery of the partition listens for its abort: many at once is normal.
      setMaxListeners(0, controller.signal);
      work = { controller, lanes: new Map(), count: 0, bytes: 0 };
      this.parts.set(k, work);
    }
    work.count++;
    work.bytes += recordSize(record);
    this.total++;
    const lane = laneOf(this.opts.ordering, record);
    if (lane === undefined) {
      this.start(work, undefined, record);
      return;
    }
    const queue = work.lanes.get(lane);
    if (queue) {
      queue.push(record);
      return;
    }
    work.lanes.set(lane, [record]);
    this.start(work, lane, record);
  }

  private start(work: PartitionWork, lane: string | undefined, record: RecordInfo): void {
    this.opts.run(record, work.controller.signal).then(
      () => {
        // Abandoned meanwhile: this partition's bookkeeping belongs to nobody now.
        if (this.parts.get(partKey(record.topic, record.partition)) !== work) return;
        work.count--;
        work.bytes -= recordSize(record);
        this.total--;
        this.opts.onFinished(record);
        if (lane === undefined) return;
        const queue = work.lanes.get(lane);
        queue?.shift();
        const next = queue?.[0];
        if (next) this.start(work, lane, next);
        else work.lanes.delete(lane);
      },
      () => undefined,
    );
  }

  /**
   * Aborts the deliveries of every partition `keep` does not keep (all without it) and forgets
   * them: their records stay unfinished, so their offsets are never committed from here.
   */
  abandon(keep?: (topic: string, partition: number) => boolean, reason = 'partition revoked'): string[] {
    const dropped: string[] = [];
    for (const [k, work] of this.parts) {
      const [topic = '', p = '0'] = k.split('|');
      if (keep?.(topic, Number(p))) continue;
      work.controller.abort(new Error(reason));
      this.parts.delete(k);
      this.total -= work.count;
      dropped.push(k);
    }
    return dropped;
  }
}
