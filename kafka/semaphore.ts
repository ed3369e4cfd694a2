/**
 * Counts open slots; `acquire` waits in FIFO order, so no partition or key starves another. The
 * wait queue is a ring of callbacks read from a moving head: thousands of records can wait at
 * once (ordering none), and Array#shift would make each release cost as much as the queue.
 */
export class Semaphore {
  private waiting: ((() => void) | undefined)[] = [];
  private head = 0;
  private used = 0;

  constructor(private readonly size: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  async acquire(): Promise<() => void> {
    if (this.used < this.size) {
      this.used++;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.next();
      // Hand the slot straight to the next waiter so `used` never dips below what is held.
      if (next) next();
      else this.used--;
    };
  }

  private next(): (() => void) | undefined {
    if (this.head >= this.waiting.length) return undefined;
    const fn = this.waiting[this.head];
    this.waiting[this.head] = undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return fn;
  }
}
