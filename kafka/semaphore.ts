/** Counts open slots; `acquire` waits in FIFO order, so no partition starves another. */
export class Semaphore {
  private waiting: (() => void)[] = [];
  private used = 0;

  constructor(private readonly size: number) {}

  get inUse(): number {
    return this.used;
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
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter so `used` never dips below what is held.
      if (next) next();
      else this.used--;
    };
  }
}
