// `kubeless function top` (alias `stats`): each function's call counters, read from its runtime's
// /metrics through the invoke subresource, so it works wherever `function call` does.
import { Command, Option } from 'commander';
import { CliError } from '../errors.js';
import { functionMetrics, withoutEmpty, type FunctionMetric } from '../function/metrics.js';
import { checkName } from '../function/name.js';
import type { KubeClient } from '../kube/client.js';
import { functionPath, functionsPath, invokePath } from '../kube/paths.js';
import type { FunctionList, FunctionObject } from '../kube/types.js';
import { renderObject } from '../render/functions.js';
import { renderTable } from '../render/table.js';
import { connect, out, withConnectionFlags, type ConnectionFlags } from './options.js';

interface TopOptions extends ConnectionFlags {
  function?: string;
  out?: string;
  output?: string;
}

/** Each function gets this long to answer; one that hangs must not hang the command (as in the original). */
const METRICS_TIMEOUT_MS = 5000;

async function metricsOf(client: KubeClient, name: string): Promise<FunctionMetric[]> {
  const ns = client.namespace;
  try {
    const res = await client.request({
      method: 'GET',
      path: invokePath(ns, name, '/metrics'),
      timeoutMs: METRICS_TIMEOUT_MS,
      ctx: { verb: 'read metrics of', kind: 'function', name, namespace: ns },
    });
    if (res.status !== 200) {
      return [
        { function: name, namespace: ns, message: `Function does not expose metrics (HTTP ${res.status})` },
      ];
    }
    return functionMetrics(ns, name, res.body.toString('utf8'));
  } catch (err) {
    return [
      { function: name, namespace: ns, message: `Unable to get function metrics: ${(err as Error).message}` },
    ];
  }
}

const num = (n: number | undefined): string => (n === undefined ? '' : String(n));

async function top(opts: TopOptions): Promise<void> {
  const format = opts.out ?? opts.output;
  if (format !== undefined && format !== 'json' && format !== 'yaml') {
    throw new CliError(`invalid --out "${format}": use json or yaml, or leave it out for a table`);
  }
  if (opts.function !== undefined) checkName(opts.function);
  const client = await connect(opts);
  const ns = client.namespace;
  const ctx = { verb: 'list', kind: 'function', namespace: ns, name: opts.function };
  const names =
    opts.function !== undefined
      ? [
          (await client.json<FunctionObject>({ method: 'GET', path: functionPath(ns, opts.function), ctx }))
            .metadata.name!,
        ]
      : (await client.json<FunctionList>({ method: 'GET', path: functionsPath(ns), ctx })).items.map(
          (f) => f.metadata.name ?? '',
        );
  const metrics = (await Promise.all(names.map((n) => metricsOf(client, n))))
    .flat()
    .sort((a, b) => a.function.localeCompare(b.function));
  if (format === 'json' || format === 'yaml') {
    out(await renderObject(metrics.map(withoutEmpty), format));
    return;
  }
  out(
    renderTable(
      [
        'NAME',
        'NAMESPACE',
        'METHOD',
        'TOTAL_CALLS',
        'TOTAL_FAILURES',
        'TOTAL_DURATION_SECONDS',
        'AVG_DURATION_SECONDS',
        'MESSAGE',
      ],
      metrics.map((m) => [
        m.function,
        m.namespace,
        m.method ?? '',
        num(m.total_calls),
        num(m.total_failures),
        num(m.total_duration_seconds),
        num(m.avg_duration_seconds),
        m.message ?? '',
      ]),
    ),
  );
}

export function registerTopCommand(group: Command): void {
  withConnectionFlags(
    group
      .command('top')
      .alias('stats')
      .description("show functions' calls, failures and durations (from their runtimes' metrics)"),
  )
    .option('-f, --function <name>', 'only this function (default: every function of the namespace)')
    .option('-o, --out <format>', 'json or yaml (default: a table)')
    .addOption(new Option('--output <format>', 'same as --out').hideHelp())
    .action(top);
}
