// The runtime's Prometheus text: what a scraper reads for each method.
import { describe, expect, it } from '@jest/globals';
import { BUCKETS, FunctionMetrics } from '../../../../runtimes/nodejs/metrics.js';

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('FunctionMetrics', () => {
  it('declares the three metrics even before the first call', () => {
    const text = new FunctionMetrics().render();
    expect(text).toContain('# TYPE function_duration_seconds histogram');
    expect(text).toContain('# TYPE function_calls_total counter');
    expect(text).toContain('# TYPE function_failures_total counter');
    expect(text).not.toMatch(/\{method=/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('writes cumulative buckets (le is inclusive), sum, count, calls and failures per method', () => {
    const m = new FunctionMetrics();
    m.record('GET', 0.0005, false);
    m.record('GET', 0.003, true);
    m.record('POST', 120, false);
    m.record('GET', 0.2, false);
    const text = m.render();
    const get = (le: string): number | undefined =>
      sample(text, `function_duration_seconds_bucket{le="${le}",method="GET"}`);
    expect(get('0.0005')).toBe(1);
    expect(get('0.001')).toBe(1);
    expect(get('0.005')).toBe(2);
    expect(get('0.1')).toBe(2);
    expect(get('0.5')).toBe(3);
    expect(get('+Inf')).toBe(3);
    expect(sample(text, 'function_duration_seconds_count{method="GET"}')).toBe(3);
    expect(sample(text, 'function_duration_seconds_sum{method="GET"}')).toBeCloseTo(0.2035, 10);
    expect(sample(text, 'function_calls_total{method="GET"}')).toBe(3);
    expect(sample(text, 'function_failures_total{method="GET"}')).toBe(1);
    // Past the last bound: only +Inf counts it.
    expect(sample(text, `function_duration_seconds_bucket{le="${BUCKETS.at(-1)}",method="POST"}`)).toBe(0);
    expect(sample(text, 'function_duration_seconds_bucket{le="+Inf",method="POST"}')).toBe(1);
    expect(sample(text, 'function_failures_total{method="POST"}')).toBe(0);
  });

  it('escapes label values as the text format requires', () => {
    const m = new FunctionMetrics();
    m.record('A"B\\C', 0.01, false);
    expect(m.render()).toContain('function_calls_total{method="A\\"B\\\\C"} 1');
  });
});
