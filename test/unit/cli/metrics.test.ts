import { describe, expect, it } from '@jest/globals';
import { functionMetrics, parsePrometheus, withoutEmpty } from '../../../cli/function/metrics.js';

const TEXT = `# HELP function_duration_seconds Time the function took
# TYPE function_duration_seconds histogram
function_duration_seconds_bucket{le="0.005",method="GET"} 2
function_duration_seconds_sum{method="GET"} 0.5
function_duration_seconds_count{method="GET"} 4
function_duration_seconds_sum{method="POST"} 0.25
# TYPE function_calls_total counter
function_calls_total{method="GET"} 4
function_calls_total{method="POST"} 1
function_failures_total{method="GET"} 0
function_failures_total{method="POST"} 1
process_cpu_seconds_total 12.5
`;

describe('function top figures', () => {
  it('reads the Prometheus text format, labels and all', () => {
    expect(parsePrometheus('a_total{x="1",y="q\\"r"} 3 1700000000\n# c\nbad line\n')).toEqual([
      { name: 'a_total', labels: { x: '1', y: 'q"r' }, value: 3 },
    ]);
  });

  it("gives one row per method with the original's fields and the average duration", () => {
    expect(functionMetrics('default', 'hello', TEXT)).toEqual([
      {
        function: 'hello',
        namespace: 'default',
        method: 'GET',
        total_calls: 4,
        total_failures: 0,
        total_duration_seconds: 0.5,
        avg_duration_seconds: 0.125,
      },
      {
        function: 'hello',
        namespace: 'default',
        method: 'POST',
        total_calls: 1,
        total_failures: 1,
        total_duration_seconds: 0.25,
        avg_duration_seconds: 0.25,
      },
    ]);
  });

  it('still lists a function that was never called, and drops zero figures like the original', () => {
    expect(functionMetrics('ns', 'idle', '# nothing yet\n')).toEqual([{ function: 'idle', namespace: 'ns' }]);
    expect(
      withoutEmpty({ function: 'a', namespace: 'b', method: 'GET', total_calls: 3, total_failures: 0 }),
    ).toEqual({
      function: 'a',
      namespace: 'b',
      method: 'GET',
      total_calls: 3,
    });
  });
});
