// The three metrics of the runtime contract, kept as plain numbers per method and written in the
// Prometheus text format at scrape time. Why not prom-client: it costs 4.5 MiB of private memory
// and 5 MiB of code in every function's pod, and hashes the label set on every observation; three
// fixed metrics with one label need neither (the Python runtime does the same).

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Upper bounds in seconds; a last, implicit bucket is +Inf. */
export const BUCKETS: readonly number[] = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60];

class MethodStats {
  /** Calls per bucket, not cumulative (the text format wants cumulative; summed at render). */
  readonly counts = new Float64Array(BUCKETS.length + 1);
  sum = 0;
  calls = 0;
  failures = 0;
}

/** Label values are HTTP methods, which Node.js has validated; escaped anyway, as the format says. */
function label(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

export class FunctionMetrics {
  private readonly byMethod = new Map<string, MethodStats>();
  // Nearly every call has the method of the one before: skip the map lookup then.
  private lastMethod = '';
  private last: MethodStats | undefined;

  record(method: string, seconds: number, failed: boolean): void {
    let stats = method === this.lastMethod ? this.last : undefined;
    if (stats === undefined) {
      stats = this.byMethod.get(method);
      if (stats === undefined) {
        stats = new MethodStats();
        this.byMethod.set(method, stats);
      }
      this.lastMethod = method;
      this.last = stats;
    }
    let i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
    stats.counts[i]!++;
    stats.sum += seconds;
    stats.calls++;
    if (failed) stats.failures++;
  }

  render(): string {
    const duration: string[] = [
      '# HELP function_duration_seconds Time the function took to answer a call, in seconds',
      '# TYPE function_duration_seconds histogram',
    ];
    const calls: string[] = [
      '# HELP function_calls_total Number of calls of the function',
      '# TYPE function_calls_total counter',
    ];
    const failures: string[] = [
      '# HELP function_failures_total Number of calls that failed (exception, timeout or a 5xx answer)',
      '# TYPE function_failures_total counter',
    ];
    for (const [method, s] of this.byMethod) {
      const m = `method="${label(method)}"`;
      let cumulative = 0;
      for (let i = 0; i < BUCKETS.length; i++) {
        cumulative += s.counts[i]!;
        duration.push(`function_duration_seconds_bucket{le="${BUCKETS[i]}",${m}} ${cumulative}`);
      }
      duration.push(`function_duration_seconds_bucket{le="+Inf",${m}} ${s.calls}`);
      duration.push(`function_duration_seconds_sum{${m}} ${s.sum}`);
      duration.push(`function_duration_seconds_count{${m}} ${s.calls}`);
      calls.push(`function_calls_total{${m}} ${s.calls}`);
      // Present from the first call on, so a method that never failed shows 0, not nothing.
      failures.push(`function_failures_total{${m}} ${s.failures}`);
    }
    return [duration.join('\n'), calls.join('\n'), failures.join('\n')].join('\n\n') + '\n';
  }
}
