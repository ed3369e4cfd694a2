import { Command, Option } from 'commander';
import { CliError } from '../errors.js';
import { applyFlags, checkName, newFunction, type FunctionFlags } from '../function/build.js';
import { checkLocally } from '../function/check.js';
import { readDependencies, readSource } from '../function/read-source.js';
import type { KubeClient } from '../kube/client.js';
import { functionPath, functionsPath } from '../kube/paths.js';
import type { FunctionObject } from '../kube/types.js';
import { parseOutputFormat, renderObject } from '../render/functions.js';
import { collect, connect, durationFlag, out, withConnectionFlags, type ConnectionFlags } from './options.js';
import { waitForReady } from './wait.js';

interface WriteOptions extends ConnectionFlags {
  runtime?: string;
  handler?: string;
  fromFile?: string;
  dependencies?: string;
  env?: string[];
  label?: string[];
  timeout?: string;
  memory?: string;
  cpu?: string;
  output?: string;
  dryrun?: boolean;
  dryRun?: 'client' | 'server';
  wait?: boolean;
  waitTimeout: string;
}

const UPDATE_RETRIES = 3;

function addWriteFlags(cmd: Command): Command {
  return withConnectionFlags(cmd)
    .option('-r, --runtime <id>', 'runtime id from the catalog, e.g. nodejs20 or python3.11')
    .option('--handler <module.function>', 'file (without suffix) and function to call, e.g. hello.handler')
    .option('-f, --from-file <file|url>', 'code: a source file, a .zip/.tar.gz archive, or an http(s) URL')
    .option('-d, --dependencies <file>', 'dependency file (package.json, requirements.txt)')
    .option('-e, --env <KEY=VALUE>', 'environment variable (repeatable; KEY- removes on update)', collect)
    .option('-l, --label <KEY=VALUE>', 'label (repeatable; KEY- removes on update)', collect)
    .option('-t, --timeout <seconds>', 'seconds a call may run before it answers 408')
    .option('--memory <quantity>', 'memory request and limit, e.g. 128Mi')
    .option('--cpu <quantity>', 'CPU request and limit, e.g. 250m')
    .option('-o, --output <format>', 'format for --dryrun/--dry-run output: yaml or json', 'yaml')
    .option('--dryrun', 'print the Function and send nothing (same as --dry-run=client)')
    .addOption(
      new Option(
        '--dry-run <mode>',
        'client: print only; server: let the API validate and default it',
      ).choices(['client', 'server']),
    )
    .option('-w, --wait', 'wait until the function is Ready, printing progress; fail with the reason')
    .option('--wait-timeout <duration>', 'how long --wait waits', '3m');
}

async function readFlags(name: string, opts: WriteOptions, namespace: string): Promise<FunctionFlags> {
  return {
    name,
    namespace,
    runtime: opts.runtime,
    handler: opts.handler,
    source: opts.fromFile ? await readSource(opts.fromFile) : undefined,
    deps: opts.dependencies ? await readDependencies(opts.dependencies) : undefined,
    env: opts.env,
    labels: opts.label,
    timeout: opts.timeout,
    memory: opts.memory,
    cpu: opts.cpu,
  };
}

/** `--dryrun` sends nothing, so the shared validation is the only check the object gets. */
function printDryRun(fn: FunctionObject, format: 'yaml' | 'json'): void {
  const { errors, warnings } = checkLocally(fn);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  if (errors.length > 0) {
    throw new CliError(`function "${fn.metadata.name}" would be invalid: ${errors.join('; ')}`);
  }
  out(renderObject(fn, format));
}

function dryRunMode(opts: WriteOptions): 'client' | 'server' | undefined {
  return opts.dryrun ? 'client' : opts.dryRun;
}

async function finish(client: KubeClient, name: string, verb: string, opts: WriteOptions): Promise<void> {
  const ns = client.namespace;
  out(`function "${name}" ${verb} in namespace "${ns}"\n`);
  if (opts.wait) {
    await waitForReady(client, name, durationFlag(opts.waitTimeout, '--wait-timeout'), out);
    out(`function "${name}" is ready; call it with \`kubeless function call ${name} -n ${ns}\`\n`);
  } else {
    out(`check it with \`kubeless function describe ${name} -n ${ns}\`, or pass --wait next time\n`);
  }
}

async function deploy(name: string, opts: WriteOptions): Promise<void> {
  checkName(name);
  const format = parseOutputFormat(opts.output, ['yaml', 'json']) as 'yaml' | 'json';
  const client = await connect(opts);
  const fn = newFunction(await readFlags(name, opts, client.namespace));
  const mode = dryRunMode(opts);
  if (mode === 'client') {
    printDryRun(fn, format);
    return;
  }
  const created = await client.json<FunctionObject>({
    method: 'POST',
    path: functionsPath(client.namespace),
    query: { dryRun: mode === 'server' ? 'All' : undefined },
    body: fn,
    ctx: { verb: 'deploy', kind: 'function', name, namespace: client.namespace },
  });
  if (mode === 'server') {
    out(renderObject(created, format));
    return;
  }
  await finish(client, name, 'created', opts);
}

function hasChanges(opts: WriteOptions): boolean {
  return (
    [opts.runtime, opts.handler, opts.fromFile, opts.dependencies, opts.timeout, opts.memory, opts.cpu].some(
      (v) => v !== undefined,
    ) ||
    (opts.env?.length ?? 0) > 0 ||
    (opts.label?.length ?? 0) > 0
  );
}

async function update(name: string, opts: WriteOptions): Promise<void> {
  checkName(name);
  if (!hasChanges(opts)) {
    throw new CliError(
      `nothing to update for "${name}": pass at least one of --from-file, --handler, --runtime, --dependencies, --env, --label, --timeout, --memory, --cpu`,
    );
  }
  const format = parseOutputFormat(opts.output, ['yaml', 'json']) as 'yaml' | 'json';
  const client = await connect(opts);
  const ns = client.namespace;
  const flags = await readFlags(name, opts, ns);
  const mode = dryRunMode(opts);
  const ctx = { verb: 'update', kind: 'function', name, namespace: ns };
  // Read-modify-write with the resourceVersion, retried on conflict: a merge patch would
  // replace the whole env list and drop variables the user did not mention.
  for (let attempt = 1; ; attempt++) {
    const current = await client.json<FunctionObject>({ method: 'GET', path: functionPath(ns, name), ctx });
    const next = applyFlags(current, flags);
    if (mode === 'client') {
      printDryRun(next, format);
      return;
    }
    const res = await client.request({
      method: 'PUT',
      path: functionPath(ns, name),
      query: { dryRun: mode === 'server' ? 'All' : undefined },
      body: JSON.stringify(next),
      headers: { 'Content-Type': 'application/json' },
      ctx,
    });
    const body = client.parse(res);
    if (res.status === 409 && attempt < UPDATE_RETRIES) continue;
    if (res.status >= 400) throw client.apiError(res.status, body, ctx);
    if (mode === 'server') {
      out(renderObject(body, format));
      return;
    }
    break;
  }
  await finish(client, name, 'updated', opts);
}

export function registerWriteCommands(group: Command): void {
  addWriteFlags(group.command('deploy <name>').description('create a function from a file or URL')).action(
    deploy,
  );
  addWriteFlags(
    group.command('update <name>').description('change a function; flags left out keep their value'),
  ).action(update);
}
