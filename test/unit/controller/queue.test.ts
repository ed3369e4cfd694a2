import { describe, expect, test } from '@jest/globals';
import { WorkQueue, type Clock } from '../../../controller/queue.js';
import { RateLimiter } from '../../../controller/rate-limit.js';

/** A clock the test advances by hand, so backoff is checked without sleeping. */
class ManualClock implements Clock {
  time = 0;
  private timers: { at: number; fn: () => void; id: NodeJS.Timeout }[] = [];
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number): NodeJS.Timeout => {
    const id = { ref: this.timers.length } as unknown as NodeJS.Timeout;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimeout = (id: NodeJS.Timeout): void => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
  }
}

const LIMITS = { baseDelayMs: 10, maxDelayMs: 1000, ratePerSecond: 1000, burst: 1000 };

describe('WorkQueue', () => {
  test('a key added many times is queued once', async () => {
    const q = new WorkQueue(LIMITS, new ManualClock());
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  test('a key added while being processed comes back only after done, so no two workers share it', async () => {
    const q = new WorkQueue(LIMITS, new ManualClock());
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    q.done(key!);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });

  test('a waiting worker receives a key as soon as it is added', async () => {
    const q = new WorkQueue(LIMITS, new ManualClock());
    const pending = q.get();
    q.add('x');
    expect(await pending).toBe('x');
    expect(q.inFlight).toBe(1);
  });

  test('failures back off exponentially per key, and forget resets it', () => {
    const clock = new ManualClock();
    const q = new WorkQueue(LIMITS, clock);
    q.addRateLimited('a');
    clock.advance(9);
    expect(q.length).toBe(0);
    clock.advance(1);
    expect(q.length).toBe(1);
    expect(q.retries('a')).toBe(1);
    q.addRateLimited('a'); // second failure: 20 ms
    clock.advance(19);
    expect(q.length).toBe(1);
    q.forget('a');
    expect(q.retries('a')).toBe(0);
  });

  test('shutDown releases waiting workers and drops pending retries', async () => {
    const clock = new ManualClock();
    const q = new WorkQueue(LIMITS, clock);
    const waiting = q.get();
    q.addAfter('later', 100);
    q.shutDown();
    expect(await waiting).toBeUndefined();
    clock.advance(200);
    expect(q.length).toBe(0);
    expect(await q.get()).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  test('per-key delay doubles up to the maximum', () => {
    const r = new RateLimiter(LIMITS, 0);
    const delays = Array.from({ length: 9 }, () => r.when('k', 0));
    expect(delays).toEqual([10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
  });

  test('the global bucket spaces retries once the burst is spent', () => {
    const r = new RateLimiter({ baseDelayMs: 1, maxDelayMs: 1, ratePerSecond: 10, burst: 2 }, 0);
    expect(['a', 'b', 'c', 'd'].map((k) => r.when(k, 0))).toEqual([1, 1, 100, 200]);
    // After a second the bucket has refilled.
    expect(r.when('e', 10_000)).toBe(1);
  });
});
