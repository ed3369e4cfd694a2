import type { RecordInfo } from './types.js';

/** The delivery of one partition's head record, which may outlive the batch that started it. */
export interface LaneTask {
  readonly offset: string;
  readonly done: Promise<void>;
  settled: boolean;
  error?: unknown;
  readonly controller: AbortController;
}

const key = (topic: string, partition: number): string => `${topic}|${partition}`;

/**
 * One in-flight record per partition (that is what keeps order). A task outlives its batch when
 * the function is slow: the partition is paused and the batch returns, so other partitions
 * fetched together keep flowing; when the partition is fetched again from the same offset, the
 * same task is picked up instead of delivering the record a second time.
 */
export class PartitionLanes {
  private readonly tasks = new Map<string, LaneTask>();

  /** The task for this record: the running one if it is for the same offset, else a new one. */
  taskFor(record: RecordInfo, run: (signal: AbortSignal) => Promise<void>): LaneTask {
    const k = key(record.topic, record.partition);
    const existing = this.tasks.get(k);
    if (existing && existing.offset === record.offset) return existing;
    if (existing) existing.controller.abort(new Error(`partition restarted at offset ${record.offset}`));
    const controller = new AbortController();
    const task: LaneTask = {
      offset: record.offset,
      settled: false,
      controller,
      done: Promise.resolve()
        .then(() => run(controller.signal))
        .then(
          () => {
            task.settled = true;
          },
          (err: unknown) => {
            task.settled = true;
            task.error = err;
          },
        ),
    };
    this.tasks.set(k, task);
    return task;
  }

  /** Forgets a finished task once its offset is resolved. */
  clear(topic: string, partition: number, offset: string): void {
    const k = key(topic, partition);
    if (this.tasks.get(k)?.offset === offset) this.tasks.delete(k);
  }

  /** Abandons deliveries of partitions this member no longer owns (or all, with no argument). */
  abandon(keep?: (topic: string, partition: number) => boolean, reason = 'partition revoked'): number {
    let n = 0;
    for (const [k, task] of this.tasks) {
      const [topic = '', p = '0'] = k.split('|');
      if (keep?.(topic, Number(p))) continue;
      task.controller.abort(new Error(reason));
      this.tasks.delete(k);
      n++;
    }
    return n;
  }

  get size(): number {
    return this.tasks.size;
  }
}

/** Waits for the task up to `ms`; true when it settled in time. */
export async function settledWithin(task: LaneTask, ms: number): Promise<boolean> {
  if (task.settled) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([task.done.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}
