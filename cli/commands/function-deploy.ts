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
import { PULL_POLICIES } from '../function/pod-flags.js';
import {
  companionTriggers,
  createCompanions,
  type CompanionFlags,
  type CompanionTrigger,
} from './function-triggers.js';

interface WriteOptions extends ConnectionFlags, CompanionFlags {
  runtime?: string;
  handler?: string;
  fromFile?: string;
  dependencies?: string;
  env?: string[];
  label?: string[];
  timeout?: string;
  memory?: string;
  cpu?: string;
  runtimeImage?: string;
  imagePullPolicy?: string;
  secrets?: string[];
  nodeSelectors?: string[];
  serviceAccount?: string;
  port?: string;
  servicePort?: string;
  headless?: boolean;
  triggerHttp?: boolean;
  output?: string;
  dryrun?: boolean;
  dryRun?: 'client' | 'server';
  wait?: boolean;
  waitTimeout: string;
}

const UPDATE_RETRIES = 3;

const CLUSTER_ONLY = '(cluster only: the local platform ignores it and says so)';

function addWriteFlags(cmd: Command): Command {
  return withConnectionFlags(cmd)
    .option('-r, --runtime <id>', 'runtime id from the catalog, e.g. nodejs20 or python3.11')
    .option('--handler <module.function>', 'file (without suffix) and function to call, e.g. hello.handler')
    .option(
      '-f, --from-file <file|url>',
      'code: a source file, a .zip/.tar.gz/.tgz/.tar.bz2/.tar.xz archive, or an http(s) URL',
    )
    .option(
      '-d, --dependencies <file|url>',
      'dependency file (package.json, requirements.txt) or its http(s) URL',
    )
    .option(
      '-e, --env <KEY=VALUE,...>',
      'environment variables: KEY=VALUE or KEY:VALUE, comma-separated or repeated; KEY- removes on update',
      collect,
    )
    .option(
      '-l, --label <KEY=VALUE,...>',
      'labels: KEY=VALUE, KEY:VALUE or KEY, comma-separated or repeated; KEY- removes on update',
      collect,
    )
    .option('-t, --timeout <seconds>', 'seconds a call may run before it answers 408 (default 180)')
    .option('--memory <quantity>', 'memory request and limit, e.g. 128Mi')
    .option('--cpu <quantity>', 'CPU request and limit, e.g. 250m')
    .option('--runtime-image <image>', `custom image for the runtime container ${CLUSTER_ONLY}`)
    .addOption(
      new Option(
        '--image-pull-policy <policy>',
        `pull policy of the runtime image (default: the controller's) ${CLUSTER_ONLY}`,
      ).choices(PULL_POLICIES),
    )
    .option(
      '--secrets <name,...>',
      `Secrets to mount at /<name>, comma-separated or repeated; name- unmounts on update ${CLUSTER_ONLY}`,
      collect,
    )
    .option(
      '--node-selectors <KEY=VALUE,...>',
      `node labels the pods must run on, e.g. disktype=ssd ${CLUSTER_ONLY}`,
      collect,
    )
    .option('--service-account <name>', `ServiceAccount the function's pods run as ${CLUSTER_ONLY}`)
    .option(
      '--port <port>',
      `port the function listens on and its Service exposes (default 8080) ${CLUSTER_ONLY}`,
    )
    .option('--servicePort <port>', `port of the function's Service (default: --port) ${CLUSTER_ONLY}`)
    .option('--headless', `a headless Service (no cluster IP, no load balancing) ${CLUSTER_ONLY}`)
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
    runtimeImage: opts.runtimeImage,
    imagePullPolicy: opts.imagePullPolicy,
    secrets: opts.secrets,
    nodeSelectors: opts.nodeSelectors,
    serviceAccount: opts.serviceAccount,
    port: opts.port,
    servicePort: opts.servicePort,
    headless: opts.headless,
  };
}

/** `--dryrun` sends nothing, so the shared validation is the only check the object gets. */
function printDryRun(fn: FunctionObject, companions: CompanionTrigger[], format: 'yaml' | 'json'): void {
  const { errors, warnings } = checkLocally(fn);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  if (errors.length > 0) {
    throw new CliError(`function "${fn.metadata.name}" would be invalid: ${errors.join('; ')}`);
  }
  const objects = [fn, ...companions.map((c) => c.object)];
  if (objects.length === 1) out(renderObject(fn, format));
  else if (format === 'json') out(renderObject({ apiVersion: 'v1', kind: 'List', items: objects }, 'json'));
  else out(objects.map((o) => renderObject(o, 'yaml')).join('---\n'));
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
  const companions = await companionTriggers(name, client.namespace, opts);
  const mode = dryRunMode(opts);
  if (mode === 'client') {
    printDryRun(fn, companions, format);
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
  await createCompanions(client, companions, out);
  await finish(client, name, 'created', opts);
}

/** The flags `update` can change, as the user types them, for the "nothing to update" message. */
const UPDATE_FLAGS: [keyof WriteOptions, string][] = [
  ['fromFile', '--from-file'],
  ['handler', '--handler'],
  ['runtime', '--runtime'],
  ['dependencies', '--dependencies'],
  ['env', '--env'],
  ['label', '--label'],
  ['timeout', '--timeout'],
  ['memory', '--memory'],
  ['cpu', '--cpu'],
  ['runtimeImage', '--runtime-image'],
  ['imagePullPolicy', '--image-pull-policy'],
  ['secrets', '--secrets'],
  ['nodeSelectors', '--node-selectors'],
  ['serviceAccount', '--service-account'],
  ['port', '--port'],
  ['servicePort', '--servicePort'],
  ['headless', '--headless'],
];

function hasChanges(opts: WriteOptions): boolean {
  return UPDATE_FLAGS.some(([key]) => {
    const v = opts[key];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  });
}

async function update(name: string, opts: WriteOptions): Promise<void> {
  checkName(name);
  if (opts.schedule !== undefined || opts.triggerTopic !== undefined) {
    throw new CliError(
      `update does not create triggers: use \`kubeless trigger cronjob update ${name} --schedule ...\` or \`kubeless trigger kafka update ${name} --trigger-topic ...\``,
    );
  }
  if (!hasChanges(opts)) {
    throw new CliError(
      `nothing to update for "${name}": pass at least one of ${UPDATE_FLAGS.map(([, f]) => f).join(', ')}`,
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
      printDryRun(next, [], format);
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
  addWriteFlags(group.command('deploy <name>').description('create a function from a file or URL'))
    .option('--schedule <cron>', 'also create a CronJobTrigger named after the function, e.g. "*/5 * * * *"')
    .option('--trigger-topic <topic>', 'older CLIs: also create a KafkaTrigger named after the function')
    .option('--trigger-http', 'older CLIs: an HTTP function, which every function is (accepted, no effect)')
    .action(deploy);
  addWriteFlags(
    group.command('update <name>').description('change a function; flags left out keep their value'),
  ).action(update);
}
