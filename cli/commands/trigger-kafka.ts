import { DEFAULT_TIMEOUT_SECONDS } from '../../lib/function/timeout.js';
import { resourcePath } from '../../lib/k8s/kubeless-paths.js';
import { isDns1123Label } from '../../lib/k8s/names.js';
import { Command } from 'commander';
import { CliError } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { formatAge, renderTable } from '../render/table.js';
import { connect, out, withConnectionFlags, type ConnectionFlags } from './options.js';
import { dryRunFormat, printDryRun, withDryRunFlags, type DryRunFlags } from './trigger-dryrun.js';
import { kafkaTriggerObject, specFromFlags, type KafkaTriggerFlags } from './trigger-kafka-spec.js';

interface KafkaTriggerItem {
  metadata: { name?: string; namespace?: string; creationTimestamp?: string };
  spec?: {
    topic?: string;
    functionSelector?: { matchLabels?: Record<string, string> };
    deadLetterTopic?: string;
  };
  status?: { conditions?: { type: string; status: string; reason?: string }[]; functions?: string[] };
}

const seg = encodeURIComponent;

function checkName(name: string): void {
  if (!isDns1123Label(name)) {
    throw new CliError(
      `invalid trigger name ${JSON.stringify(name)}: use lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
}

function triggersPath(namespace: string | undefined): string {
  return resourcePath('kafkatriggers', namespace);
}

function withTriggerFlags(cmd: Command): Command {
  return cmd
    .option('--trigger-topic <topic>', 'Kafka topic whose messages call the functions')
    .option('--function-selector <labels>', 'labels of the functions to call, e.g. app=sink,tier=backend')
    .option('--dead-letter-topic <topic>', 'where undeliverable messages go (default: <topic>.dlq)')
    .option(
      '--max-attempts <n>',
      'delivery attempts per message and function before dead-lettering (default 5)',
    )
    .option(
      '--initial-backoff-ms <duration>',
      'wait before the first retry, e.g. 200ms or 1s; doubles each retry; a bare number is milliseconds (default 200)',
    )
    .option(
      '--max-backoff-ms <duration>',
      'longest wait between retries; a bare number is milliseconds (default 30s)',
    )
    .option(
      '--timeout <duration>',
      `how long one call to the function may take; a bare number is seconds (default ${DEFAULT_TIMEOUT_SECONDS})`,
    )
    .option('--max-in-flight <n>', 'calls open at once over all partitions (default 64)')
    .option(
      '--ordering <mode>',
      'partition (default: one record at a time per partition), key (one at a time per key, keys in parallel) or none',
    );
}

type Flags = ConnectionFlags & KafkaTriggerFlags;

async function list(flags: ConnectionFlags & { allNamespaces?: boolean; output?: string }): Promise<void> {
  const client: KubeClient = await connect(flags);
  const ns = flags.allNamespaces ? undefined : client.namespace;
  const result = await client.json<{ items: KafkaTriggerItem[] }>({
    method: 'GET',
    path: triggersPath(ns),
    ctx: { verb: 'list', kind: 'kafkatrigger', namespace: ns },
  });
  if (flags.output === 'json') {
    out(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  if (flags.output !== undefined && flags.output !== 'table')
    throw new CliError(`invalid -o "${flags.output}": choose table or json`);
  if (result.items.length === 0) {
    process.stderr.write(`no Kafka triggers found${ns ? ` in namespace "${ns}"` : ''}\n`);
    return;
  }
  const now = new Date();
  const rows = result.items.map((t) => {
    const ready = t.status?.conditions?.find((c) => c.type === 'Ready');
    const selector = Object.entries(t.spec?.functionSelector?.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return [
      t.metadata.name ?? '',
      t.metadata.namespace ?? '',
      t.spec?.topic ?? '',
      selector,
      (t.status?.functions ?? []).join(','),
      ready ? `${ready.status}${ready.reason ? ` (${ready.reason})` : ''}` : 'Unknown',
      formatAge(t.metadata.creationTimestamp, now),
    ];
  });
  out(renderTable(['NAME', 'NAMESPACE', 'TOPIC', 'FUNCTION-SELECTOR', 'FUNCTIONS', 'READY', 'AGE'], rows));
}

/** `kubeless trigger kafka create|update|delete|list`: KafkaTrigger objects through the Kubernetes API. */
export function register(program: Command): void {
  // Other trigger kinds may register `trigger` too: share the group rather than shadow it.
  const trigger =
    program.commands.find((c) => c.name() === 'trigger') ??
    program.command('trigger').description('manage triggers that call functions');
  const kafka = trigger
    .command('kafka')
    .description('Kafka triggers: call functions with the messages of a topic');

  withDryRunFlags(
    withTriggerFlags(
      withConnectionFlags(kafka.command('create <name>').description('create a Kafka trigger')),
    ),
  ).action(async (name: string, flags: Flags & DryRunFlags) => {
    checkName(name);
    dryRunFormat(flags);
    const client = await connect(flags);
    const body = kafkaTriggerObject(name, client.namespace, flags);
    if (flags.dryrun) return printDryRun(flags, body);
    await client.json({
      method: 'POST',
      path: triggersPath(client.namespace),
      body,
      ctx: { verb: 'create', kind: 'kafkatrigger', namespace: client.namespace, name },
    });
    out(`Kafka trigger ${name} created\n`);
  });

  withDryRunFlags(
    withTriggerFlags(
      withConnectionFlags(
        kafka.command('update <name>').description('change a Kafka trigger (only the given flags)'),
      ),
    ),
  ).action(async (name: string, flags: Flags & DryRunFlags) => {
    checkName(name);
    dryRunFormat(flags);
    const spec = specFromFlags(flags);
    if (Object.keys(spec).length === 0)
      throw new CliError('nothing to update: give at least one of the trigger flags (see --help)');
    const client = await connect(flags);
    const updated = await client.json<unknown>({
      method: 'PATCH',
      path: `${triggersPath(client.namespace)}/${seg(name)}`,
      query: { dryRun: flags.dryrun ? 'All' : undefined },
      body: { spec },
      ctx: { verb: 'update', kind: 'kafkatrigger', namespace: client.namespace, name },
    });
    if (flags.dryrun) return printDryRun(flags, updated);
    out(`Kafka trigger ${name} updated\n`);
  });

  withConnectionFlags(
    kafka.command('delete <name>').description('delete a Kafka trigger (its consumer group stops)'),
  ).action(async (name: string, flags: ConnectionFlags) => {
    checkName(name);
    const client = await connect(flags);
    await client.json({
      method: 'DELETE',
      path: `${triggersPath(client.namespace)}/${seg(name)}`,
      ctx: { verb: 'delete', kind: 'kafkatrigger', namespace: client.namespace, name },
    });
    out(`Kafka trigger ${name} deleted\n`);
  });

  withConnectionFlags(kafka.command('list').alias('ls').description('list Kafka triggers'))
    .option('-A, --all-namespaces', 'list the triggers of every namespace')
    .option('-o, --output <format>', 'table or json')
    .action(list);
}
