import { Command, Option } from 'commander';
import { checkName } from '../function/name.js';
import { functionPath, functionsPath } from '../kube/paths.js';
import type { FunctionList, FunctionObject, KubeEvent } from '../kube/types.js';
import type { KubeClient } from '../kube/client.js';
import { parseOutputFormat, renderDescribe, renderFunctionList, renderObject } from '../render/functions.js';
import { connect, out, withConnectionFlags, type ConnectionFlags } from './options.js';

interface ListOptions extends ConnectionFlags {
  output?: string;
  /** The original CLI's spelling of --output. */
  out?: string;
  allNamespaces?: boolean;
  selector?: string;
}

async function list(names: string[], opts: ListOptions): Promise<void> {
  const format = parseOutputFormat(opts.output ?? opts.out, ['table', 'wide', 'json', 'yaml']);
  names.forEach(checkName);
  const client = await connect(opts);
  const ns = opts.allNamespaces ? undefined : client.namespace;
  const result = await client.json<FunctionList>({
    method: 'GET',
    path: functionsPath(ns),
    query: { labelSelector: opts.selector },
    ctx: { verb: 'list', kind: 'function', namespace: ns },
  });
  const items =
    names.length > 0 ? result.items.filter((fn) => names.includes(fn.metadata.name ?? '')) : result.items;
  if (format === 'json' || format === 'yaml') {
    out(await renderObject({ ...result, items }, format));
    return;
  }
  if (items.length === 0) {
    process.stderr.write(`no functions found${ns ? ` in namespace "${ns}"` : ''}\n`);
    return;
  }
  out(renderFunctionList(items, format === 'wide', new Date()));
}

/** Events are optional: a server without the core events API (or without RBAC for it) gets `null`. */
async function fetchEvents(client: KubeClient, name: string): Promise<KubeEvent[] | null> {
  const ns = client.namespace;
  try {
    const res = await client.request({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(ns)}/events`,
      query: { fieldSelector: `involvedObject.kind=Function,involvedObject.name=${name}` },
      ctx: { verb: 'list', kind: 'event', namespace: ns },
    });
    if (res.status !== 200) return null;
    const body = client.parse(res) as { items?: KubeEvent[] };
    return Array.isArray(body.items) ? body.items : null;
  } catch {
    return null;
  }
}

async function describe(name: string, opts: ListOptions): Promise<void> {
  checkName(name);
  const format = parseOutputFormat(opts.output ?? opts.out, ['table', 'json', 'yaml']);
  const client = await connect(opts);
  const ns = client.namespace;
  const fn = await client.json<FunctionObject>({
    method: 'GET',
    path: functionPath(ns, name),
    ctx: { verb: 'describe', kind: 'function', name, namespace: ns },
  });
  if (format === 'json' || format === 'yaml') {
    out(await renderObject(fn, format));
    return;
  }
  out(renderDescribe(fn, await fetchEvents(client, name), new Date()));
}

async function remove(names: string[], opts: ConnectionFlags): Promise<void> {
  names.forEach(checkName);
  const client = await connect(opts);
  const ns = client.namespace;
  for (const name of names) {
    await client.json<unknown>({
      method: 'DELETE',
      path: functionPath(ns, name),
      ctx: { verb: 'delete', kind: 'function', name, namespace: ns },
    });
    out(`function "${name}" deleted from namespace "${ns}"\n`);
  }
}

export function registerReadCommands(group: Command): void {
  withConnectionFlags(group.command('list [names...]').alias('ls').description('list functions'))
    .option('-o, --output <format>', 'wide, json or yaml (default: a table)')
    .addOption(new Option('--out <format>', 'same as --output (the original CLI)').hideHelp())
    .option('-A, --all-namespaces', 'list functions of every namespace')
    .option('-l, --selector <query>', 'label selector, e.g. team=web')
    .action(list);
  withConnectionFlags(
    group.command('describe <name>').description('show a function: spec, conditions, recent events'),
  )
    .option('-o, --output <format>', 'json or yaml (default: a summary)')
    .addOption(new Option('--out <format>', 'same as --output (the original CLI)').hideHelp())
    .action(describe);
  withConnectionFlags(
    group.command('delete <names...>').alias('rm').description('delete functions (and what runs them)'),
  ).action(remove);
}
