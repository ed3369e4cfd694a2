import type { Command } from 'commander';
import { resourcePath } from '../../lib/k8s/kubeless-paths.js';
import { CliError } from '../errors.js';
import { checkName } from '../function/name.js';
import { renderObject } from '../render/functions.js';
import { renderTable } from '../render/table.js';
import { autoscaleSpec, autoscalerObject, type AutoscaleFlags } from './autoscale-spec.js';
import { connect, out, withConnectionFlags, type ConnectionFlags } from './options.js';

const fnPath = (ns: string, name?: string): string => resourcePath('functions', ns, name || undefined);

interface FnItem {
  metadata: { name?: string };
  spec?: {
    horizontalPodAutoscaler?: {
      spec?: { minReplicas?: number; maxReplicas?: number; metrics?: { type?: string }[] };
    };
  };
}

/** `kubeless autoscale create|delete|list`: sets or clears a Function's spec.horizontalPodAutoscaler. */
export function register(program: Command): void {
  const group = program
    .command('autoscale')
    .description('autoscale functions (a HorizontalPodAutoscaler per function)');

  withConnectionFlags(group.command('create <function>').description('autoscale a function'))
    .requiredOption('--max <n>', 'most replicas')
    .option('--min <n>', 'fewest replicas (default 1)')
    .option('--metric <name>', 'cpu (utilisation %) or qps (calls per second per pod)', 'cpu')
    .option('--value <n>', 'target: cpu percentage (default 70) or calls per second')
    .action(async (name: string, flags: AutoscaleFlags & ConnectionFlags) => {
      checkName(name);
      let spec: ReturnType<typeof autoscaleSpec>;
      try {
        spec = autoscaleSpec(flags);
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err));
      }
      const client = await connect(flags);
      await client.json({
        method: 'PATCH',
        path: fnPath(client.namespace, name),
        body: { spec: { horizontalPodAutoscaler: autoscalerObject(name, client.namespace, spec) } },
        ctx: { verb: 'autoscale', kind: 'function', namespace: client.namespace, name },
      });
      out(`function ${name} autoscales between ${spec.minReplicas} and ${spec.maxReplicas} replicas\n`);
    });

  withConnectionFlags(group.command('delete <function>').description('stop autoscaling a function')).action(
    async (name: string, flags: ConnectionFlags) => {
      checkName(name);
      const client = await connect(flags);
      // null in a merge patch removes the field; the controller then deletes the HPA.
      await client.json({
        method: 'PATCH',
        path: fnPath(client.namespace, name),
        body: { spec: { horizontalPodAutoscaler: null } },
        ctx: { verb: 'autoscale delete', kind: 'function', namespace: client.namespace, name },
      });
      out(`function ${name} no longer autoscales\n`);
    },
  );

  withConnectionFlags(group.command('list').alias('ls').description('list autoscaled functions'))
    .option('-o, --out <format>', 'json or yaml: the autoscaler of each function (default: a table)')
    .action(async (flags: ConnectionFlags & { out?: string }) => {
      if (flags.out !== undefined && flags.out !== 'json' && flags.out !== 'yaml') {
        throw new CliError(`invalid --out "${flags.out}": use json or yaml`);
      }
      const client = await connect(flags);
      const result = await client.json<{ items: FnItem[] }>({
        method: 'GET',
        path: fnPath(client.namespace),
        ctx: { verb: 'list', kind: 'function', namespace: client.namespace },
      });
      // maxReplicas 0 is the empty autoscaler the original stored in every Function: none.
      const scaled = result.items.filter(
        (f) => (f.spec?.horizontalPodAutoscaler?.spec?.maxReplicas ?? 0) > 0,
      );
      if (flags.out) {
        const hpas = scaled.map((f) => ({ function: f.metadata.name, ...f.spec?.horizontalPodAutoscaler }));
        out(await renderObject(hpas, flags.out));
        return;
      }
      const rows = scaled.map((f) => {
        const h = f.spec?.horizontalPodAutoscaler?.spec ?? {};
        return [
          f.metadata.name ?? '',
          String(h.minReplicas ?? 1),
          String(h.maxReplicas ?? ''),
          h.metrics?.[0]?.type ?? '',
        ];
      });
      out(renderTable(['FUNCTION', 'MIN', 'MAX', 'METRIC'], rows));
    });
}
