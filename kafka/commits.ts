// The trigger's offset book: one tracker per owned partition, and the commit loop that writes
// their commit points to Kafka in one request per interval (commit batching: a request per
// record would cost a broker round trip each and change nothing a function sees).
import { PartitionOffsets } from './offsets.js';

export type CommitFn = (offsets: {
  topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
}) => Promise<void>;

export interface OffsetBookOptions {
  topic: string;
  /** 0 commits as soon as something finished (one request in flight at a time). */
  intervalMs: number;
  /** The current group generation's commit; undefined before the first fetch. */
  commit(): CommitFn | undefined;
  onLag(partition: number, lag: number): void;
  onError(err: unknown): void;
}

export class OffsetBook {
  private readonly trackers = new Map<number, PartitionOffsets>();
  private readonly highWatermarks = new Map<number, bigint>();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: OffsetBookOptions) {}

  offsets(partition: number): PartitionOffsets {
    let t = this.trackers.get(partition);
    if (!t) {
      t = new PartitionOffsets();
      this.trackers.set(partition, t);
    }
    return t;
  }

  partitions(): number[] {
    return [...this.trackers.keys()];
  }

  setHighWatermark(partition: number, hw: bigint): void {
    this.highWatermarks.set(partition, hw);
    this.reportLag(partition);
  }

  /** Forgets a partition this member no longer owns: nothing more is committed for it. */
  drop(partition: number): void {
    this.trackers.delete(partition);
    this.highWatermarks.delete(partition);
  }

  dropAll(): void {
    for (const p of [...this.trackers.keys()]) this.drop(p);
  }

  /** A record finished: commit it with the next batch (or now, with interval 0). */
  finished(partition: number, offset: bigint): void {
    this.trackers.get(partition)?.finish(offset);
    if (this.opts.intervalMs === 0) void this.flush();
  }

  start(): void {
    if (this.opts.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Commits every partition's commit point that moved; one request at a time, coalesced. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.commitOnce().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.flush();
      }
    });
    return this.running;
  }

  private async commitOnce(): Promise<void> {
    const commit = this.opts.commit();
    if (!commit) return;
    const points: { partition: number; offset: bigint; tracker: PartitionOffsets }[] = [];
    for (const [partition, tracker] of this.trackers) {
      const offset = tracker.commitPoint();
      if (offset !== undefined) points.push({ partition, offset, tracker });
    }
    if (points.length === 0) return;
    try {
      await commit({
        topics: [
          {
            topic: this.opts.topic,
            partitions: points.map((p) => ({ partition: p.partition, offset: p.offset.toString() })),
          },
        ],
      });
    } catch (err) {
      // Rebalancing or the coordinator moved: the next round tries again (with the new generation).
      this.opts.onError(err);
      return;
    }
    for (const p of points) {
      // A partition dropped while the request was out is not ours any more: leave it alone.
      if (this.trackers.get(p.partition) !== p.tracker) continue;
      p.tracker.committedAt(p.offset);
      this.reportLag(p.partition);
    }
  }

  private reportLag(partition: number): void {
    const hw = this.highWatermarks.get(partition);
    const from = this.trackers.get(partition)?.resumePoint();
    if (hw === undefined || from === undefined) return;
    this.opts.onLag(partition, Math.max(0, Number(hw - from)));
  }
}
