import { resourcePath } from '../../lib/k8s/kubeless-paths.js';
import { isDns1123Label } from '../../lib/k8s/names.js';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { formatAge, renderTable } from '../render/table.js';
import { connect, out, withConnectionFlags, type ConnectionFlags } from './options.js';
import { dryRunFormat, printDryRun, withDryRunFlags, type DryRunFlags } from './trigger-dryrun.js';

/** What differs between the HTTP and cron trigger commands; the verbs themselves are the same. */
export interface TriggerKindCli<F> {
  word: string;
  kind: string;
  plural: string;
  describe: string;
  flags: (cmd: Command) => Command;
  object: (name: string, namespace: string, flags: F) => object;
  spec: (flags: F) => object;
  /** Extra list columns from the spec. */
  columns: string[];
  row: (spec: Record<string, unknown>) => string[];
}

interface Item {
  metadata: { name?: string; namespace?: string; creationTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: { conditions?: { type: string; status: string; reason?: string }[] };
}

function checkName(name: string): void {
  if (!isDns1123Label(name)) {
    throw new CliError(
      `invalid trigger name ${JSON.stringify(name)}: use lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
}

function userError<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** `kubeless trigger <word> create|update|delete|list`, sharing the `trigger` group with other kinds. */
export function registerTriggerKind<F>(program: Command, k: TriggerKindCli<F>): void {
  const trigger =
    program.commands.find((c) => c.name() === 'trigger') ??
    program.command('trigger').description('manage triggers that call functions');
  const group = trigger.command(k.word).description(k.describe);
  const kindLower = k.kind.toLowerCase();

  withDryRunFlags(
    k.flags(withConnectionFlags(group.command('create <name>').description(`create a ${k.kind}`))),
  ).action(async (name: string, flags: F & ConnectionFlags & DryRunFlags) => {
    checkName(name);
    dryRunFormat(flags);
    const client = await connect(flags);
    const body = userError(() => k.object(name, client.namespace, flags));
    if (flags.dryrun) return printDryRun(flags, body);
    await client.json({
      method: 'POST',
      path: resourcePath(k.plural, client.namespace),
      body,
      ctx: { verb: 'create', kind: kindLower, namespace: client.namespace, name },
    });
    out(`${k.kind} ${name} created\n`);
  });

  withDryRunFlags(
    k.flags(
      withConnectionFlags(
        group.command('update <name>').description(`change a ${k.kind} (only the given flags)`),
      ),
    ),
  ).action(async (name: string, flags: F & ConnectionFlags & DryRunFlags) => {
    checkName(name);
    dryRunFormat(flags);
    const spec = userError(() => k.spec(flags));
    if (Object.keys(spec).length === 0)
      throw new CliError('nothing to update: give at least one flag (see --help)');
    const client = await connect(flags);
    const updated = await client.json<unknown>({
      method: 'PATCH',
      path: resourcePath(k.plural, client.namespace, name),
      query: { dryRun: flags.dryrun ? 'All' : undefined },
      body: { spec },
      ctx: { verb: 'update', kind: kindLower, namespace: client.namespace, name },
    });
    if (flags.dryrun) return printDryRun(flags, updated);
    out(`${k.kind} ${name} updated\n`);
  });

  withConnectionFlags(
    group.command('delete <name>').description(`delete a ${k.kind} and what it created`),
  ).action(async (name: string, flags: ConnectionFlags) => {
    checkName(name);
    const client = await connect(flags);
    await client.json({
      method: 'DELETE',
      path: resourcePath(k.plural, client.namespace, name),
      ctx: { verb: 'delete', kind: kindLower, namespace: client.namespace, name },
    });
    out(`${k.kind} ${name} deleted\n`);
  });

  withConnectionFlags(group.command('list').alias('ls').description(`list ${k.kind}s`))
    .option('-A, --all-namespaces', 'list the triggers of every namespace')
    .option('-o, --output <format>', 'table or json')
    .action(async (flags: ConnectionFlags & { allNamespaces?: boolean; output?: string }) => {
      if (flags.output !== undefined && flags.output !== 'table' && flags.output !== 'json')
        throw new CliError(`invalid -o "${flags.output}": choose table or json`);
      const client = await connect(flags);
      const ns = flags.allNamespaces ? undefined : client.namespace;
      const result = await client.json<{ items: Item[] }>({
        method: 'GET',
        path: resourcePath(k.plural, ns),
        ctx: { verb: 'list', kind: kindLower, namespace: ns },
      });
      if (flags.output === 'json') {
        out(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const now = new Date();
      const rows = result.items.map((t) => {
        const ready = t.status?.conditions?.find((c) => c.type === 'Ready');
        return [
          t.metadata.name ?? '',
          t.metadata.namespace ?? '',
          ...k.row(t.spec ?? {}),
          ready ? `${ready.status}${ready.reason ? ` (${ready.reason})` : ''}` : 'Unknown',
          formatAge(t.metadata.creationTimestamp, now),
        ];
      });
      out(renderTable(['NAME', 'NAMESPACE', ...k.columns, 'READY', 'AGE'], rows));
    });
}
