// `kubeless function deploy|update`: what runs once the flags are parsed (loaded only then).
import { CliError } from '../errors.js';
import { applyFlags, newFunction, type FunctionFlags } from '../function/build.js';
import { checkName } from '../function/name.js';
import type { PodFlags } from '../function/pod-flags.js';
import { readDependencies, readSource } from '../function/read-source.js';
import type { ServiceFlags } from '../function/service-flags.js';
import type { KubeClient } from '../kube/client.js';
import { functionPath, functionsPath } from '../kube/paths.js';
import type { FunctionObject } from '../kube/types.js';
import { parseOutputFormat, renderObject } from '../render/functions.js';
import { connect, durationFlag, out, type ConnectionFlags } from './options.js';
import { waitForReady } from './wait.js';
import {
  companionTriggers,
  createCompanions,
  type CompanionFlags,
  type CompanionTrigger,
} from './function-triggers.js';

export interface WriteOptions extends ConnectionFlags, CompanionFlags, PodFlags, ServiceFlags {
  runtime?: string;
  handler?: string;
  fromFile?: string;
  dependencies?: string;
  label?: string[];
  timeout?: string;
  triggerHttp?: boolean;
  output?: string;
  dryrun?: boolean;
  dryRun?: 'client' | 'server';
  wait?: boolean;
  waitTimeout: string;
}

const UPDATE_RETRIES = 3;

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
async function printDryRun(
  fn: FunctionObject,
  companions: CompanionTrigger[],
  format: 'yaml' | 'json',
): Promise<void> {
  // The shared validation compiles JSON schemas: loaded only for a dry run.
  const { checkLocally } = await import('../function/check.js');
  const { errors, warnings } = checkLocally(fn);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  if (errors.length > 0) {
    throw new CliError(`function "${fn.metadata.name}" would be invalid: ${errors.join('; ')}`);
  }
  const objects = [fn, ...companions.map((c) => c.object)];
  if (objects.length === 1) out(await renderObject(fn, format));
  else if (format === 'json')
    out(await renderObject({ apiVersion: 'v1', kind: 'List', items: objects }, 'json'));
  else out((await Promise.all(objects.map((o) => renderObject(o, 'yaml')))).join('---\n'));
}

function dryRunMode(opts: WriteOptions): 'client' | 'server' | undefined {
  return opts.dryrun ? 'client' : opts.dryRun;
}

async function finish(client: KubeClient, name: string, verb: string, opts: WriteOptions): Promise<void> {
  const ns = client.namespace;
  out(`function "${name}" ${verb} in namespace "${ns}"\n`);
  if (opts.wait) {
    await waitForReady(client, name, durationFlag(opts.waitTimeout, '--wait-timeout') / 1000, out);
    out(`function "${name}" is ready; call it with \`kubeless function call ${name} -n ${ns}\`\n`);
  } else {
    out(`check it with \`kubeless function describe ${name} -n ${ns}\`, or pass --wait next time\n`);
  }
}

export async function deploy(name: string, opts: WriteOptions): Promise<void> {
  checkName(name);
  const format = parseOutputFormat(opts.output, ['yaml', 'json']) as 'yaml' | 'json';
  const client = await connect(opts);
  const fn = newFunction(await readFlags(name, opts, client.namespace));
  const companions = await companionTriggers(name, client.namespace, opts);
  const mode = dryRunMode(opts);
  if (mode === 'client') {
    await printDryRun(fn, companions, format);
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
    out(await renderObject(created, format));
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

export async function update(name: string, opts: WriteOptions): Promise<void> {
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
      await printDryRun(next, [], format);
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
      out(await renderObject(body, format));
      return;
    }
    break;
  }
  await finish(client, name, 'updated', opts);
}
