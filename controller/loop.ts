import { describeError } from './kube.js';
import type { Logger } from '../lib/server/log.js';
import type { ControllerMetrics } from './metrics.js';
import { WorkQueue } from './queue.js';

/** Reconciles one object of one kind; throwing requeues the key with backoff. */
export type ReconcileFn = (namespace: string, name: string) => Promise<void>;

export function keyOf(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? 'default'}/${name ?? ''}`;
}

/**
 * One work queue and its workers for one kind. Each kind gets its own, so a burst of Function
 * events never delays a trigger (and the keys of two kinds, both `namespace/name`, never collide).
 */
export class ReconcileLoop {
  private queue = new WorkQueue();
  private workers: Promise<void>[] = [];
  private stopped = false;
  private paused = false;

  constructor(
    readonly kind: string,
    private readonly reconcile: ReconcileFn,
    private readonly metrics: ControllerMetrics,
    private readonly log: Logger,
    /** Reports the queue's length after every change (the Function loop feeds the depth gauge). */
    private readonly onDepth: (depth: number) => void = () => undefined,
  ) {}

  enqueue(key: string | undefined): void {
    if (!key || this.stopped || this.paused) return;
    this.queue.add(key);
    this.onDepth(this.queue.length);
  }

  start(workers: number): void {
    if (this.stopped) return;
    this.paused = false;
    const queue = this.queue;
    this.workers = Array.from({ length: workers }, () => this.work(queue));
  }

  /**
   * Hands out no more keys and resolves once the reconciles in flight are done (a controller that
   * lost its Lease must stop writing before another takes over). The queued keys are dropped:
   * start() begins with an empty queue, and the caller's resync fills it again.
   */
  async pause(): Promise<void> {
    if (this.stopped || this.paused) return;
    this.paused = true;
    this.queue.shutDown();
    await Promise.allSettled(this.workers);
    this.queue = new WorkQueue();
    this.onDepth(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.shutDown();
    await Promise.allSettled(this.workers);
  }

  private async work(queue: WorkQueue): Promise<void> {
    const { kind, metrics } = this;
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      if (this.paused) {
        queue.done(key);
        return;
      }
      this.onDepth(queue.length);
      const slash = key.indexOf('/');
      const [namespace, name] = [key.slice(0, slash), key.slice(slash + 1)];
      const end = metrics.duration.startTimer({ kind });
      try {
        await this.reconcile(namespace, name);
        queue.forget(key);
        metrics.reconciles.inc({ kind, result: 'success' });
      } catch (err) {
        const reason = (err as { problem?: { reason?: string } }).problem?.reason ?? 'Error';
        metrics.reconciles.inc({ kind, result: 'error' });
        metrics.errors.inc({ kind, reason });
        this.log.warn(
          { kind, namespace, name, error: describeError(err), retries: queue.retries(key) },
          'reconcile failed; retrying with backoff',
        );
        queue.addRateLimited(key);
      } finally {
        end();
        queue.done(key);
      }
    }
  }
}
