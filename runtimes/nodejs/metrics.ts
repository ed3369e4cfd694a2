import { Counter, Histogram, Registry } from 'prom-client';

const FLUSH_AT = 1024;

interface Pending {
  durations: number[];
  calls: number;
  failures: number;
}

/**
 * prom-client hashes the label set on every observe; at tens of thousands of calls a second that
 * shows. Calls are therefore recorded in plain per-method arrays and handed to prom-client in
 * batches: when a batch fills and whenever /metrics is scraped, so scrapes always see every call.
 */
export class FunctionMetrics {
  readonly registry = new Registry();
  private readonly pending = new Map<string, Pending>();
  private readonly duration = new Histogram({
    name: 'function_duration_seconds',
    help: 'Time the function took to answer a call, in seconds',
    labelNames: ['method'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly calls = new Counter({
    name: 'function_calls_total',
    help: 'Number of calls of the function',
    labelNames: ['method'],
    registers: [this.registry],
  });
  private readonly failures = new Counter({
    name: 'function_failures_total',
    help: 'Number of calls that failed (exception, timeout or a 5xx answer)',
    labelNames: ['method'],
    registers: [this.registry],
  });

  record(method: string, seconds: number, failed: boolean): void {
    let p = this.pending.get(method);
    if (p === undefined) {
      p = { durations: [], calls: 0, failures: 0 };
      this.pending.set(method, p);
    }
    p.durations.push(seconds);
    p.calls++;
    if (failed) p.failures++;
    if (p.durations.length >= FLUSH_AT) this.flushOne(method, p);
  }

  private flushOne(method: string, p: Pending): void {
    const labels = { method };
    for (const d of p.durations) this.duration.observe(labels, d);
    // Counters exist from the first call on, so a method that never failed still shows 0.
    this.calls.inc(labels, p.calls);
    this.failures.inc(labels, p.failures);
    p.durations.length = 0;
    p.calls = 0;
    p.failures = 0;
  }

  async render(): Promise<string> {
    for (const [method, p] of this.pending) this.flushOne(method, p);
    return this.registry.metrics();
  }
}
