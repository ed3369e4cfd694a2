export interface RateLimitOptions {
  /** First retry delay of a failing key; doubles on each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Overall retries per second across all keys (token bucket), so a broken cluster is not hammered. */
  ratePerSecond: number;
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  baseDelayMs: 5,
  maxDelayMs: 5 * 60_000,
  ratePerSecond: 10,
  burst: 100,
};

/**
 * Pure bookkeeping of how long a key must wait before its next retry: the larger of its own
 * exponential backoff and the wait for a token from the shared bucket.
 */
export class RateLimiter {
  private readonly failures = new Map<string, number>();
  private tokens: number;
  private last: number;

  constructor(
    private readonly options: RateLimitOptions,
    now: number,
  ) {
    this.tokens = options.burst;
    this.last = now;
  }

  when(key: string, now: number): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    const perKey = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** failures);
    return Math.max(perKey, this.takeToken(now));
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Reserves a token, returning how long until it is available (tokens may go negative: a queue of reservations). */
  private takeToken(now: number): number {
    const { ratePerSecond, burst } = this.options;
    this.tokens = Math.min(burst, this.tokens + ((now - this.last) / 1000) * ratePerSecond);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / ratePerSecond) * 1000);
  }
}
