// Runs one original case against a Target: the deploy target's commands, then (when the case is
// verified) its update commands, a wait for readiness, and each check of the -verify target.
// Where the local platform has no pods or Services, a check reads what stands for them in the
// Function object; each such substitution is named below.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readiness } from '../../../cli/function/readiness.js';
import type { FunctionObject } from '../../../cli/kube/types.js';
import { FIXTURES, type Files } from './files.js';
import { shown, type CommandResult, type Target } from './target.js';
import type { Arg, Check, FormField, OriginalCase, Step } from './types.js';

export interface CaseContext {
  target: Target;
  files: Files;
  namespace: string;
}

export interface StepOutcome {
  text: string;
  ok: boolean;
  result: CommandResult;
}

export const functionName = (c: OriginalCase): string => c.name ?? c.id;

/**
 * KUBELESS_COMPAT_RUNTIMES=nodejs20,python3.11 (while developing) deploys with these runtime ids
 * instead of the original ones, to see what fails past the runtime id.
 */
const runtimeOverride = (process.env.KUBELESS_COMPAT_RUNTIMES ?? '').split(',').filter(Boolean);

function resolveArgs(ctx: CaseContext, args: Arg[]): string[] {
  const out = args.map((a) => (typeof a === 'string' ? a : ctx.files.resolve(a)));
  const at = out.indexOf('--runtime') + 1;
  const language = at > 0 ? /^[a-z]+/.exec(out[at])?.[0] : undefined;
  const override = runtimeOverride.find((r) => language && r.startsWith(language));
  if (override) out[at] = override;
  return out;
}

/** Topic commands speak to the brokers and take no namespace; everything else is namespaced. */
const namespaced = (args: string[]): boolean => args[0] !== 'topic';

async function runStep(ctx: CaseContext, step: Step): Promise<StepOutcome> {
  const ns = ['-n', ctx.namespace];
  let cmd: string;
  let args: string[];
  let result: CommandResult;
  if ('kubeless' in step) {
    cmd = 'kubeless';
    args = resolveArgs(ctx, step.kubeless);
    if (namespaced(args)) args.push(...ns);
    result = await ctx.target.kubeless(args, 180_000);
  } else if ('kubectl' in step) {
    cmd = 'kubectl';
    args = [...resolveArgs(ctx, step.kubectl), ...ns];
    result = await ctx.target.kubectl(args, 60_000);
  } else {
    cmd = 'kubectl';
    args = ['apply', '-f', ctx.files.resolve(step.apply), ...ns];
    result = await ctx.target.kubectl(args, 60_000);
  }
  const orTrue = 'apply' in step ? false : step.orTrue === true;
  return { text: shown(cmd, args, result), ok: result.code === 0 || orTrue, result };
}

/** The deploy target: stops at the first command that fails (make does too). */
export async function deployCase(ctx: CaseContext, c: OriginalCase): Promise<StepOutcome[]> {
  const done: StepOutcome[] = [];
  for (const step of c.deploy) {
    const outcome = await runStep(ctx, step);
    done.push(outcome);
    if (!outcome.ok) break;
  }
  return done;
}

class CaseFailure extends Error {}

function fail(what: string, detail: string): never {
  throw new CaseFailure(`${what}\n${detail}`);
}

/** The shell's `echo $(...)`: all whitespace runs become one space, so a pattern may span lines. */
const echoed = (text: string): string => text.replace(/\s+/g, ' ').trim();

async function getFunction(ctx: CaseContext, name: string): Promise<FunctionObject> {
  const args = ['get', 'functions.kubeless.io', name, '-n', ctx.namespace, '-o', 'json'];
  const r = await ctx.target.kubectl(args);
  if (r.code !== 0) fail(`could not read Function ${name}`, shown('kubectl', args, r));
  return JSON.parse(r.stdout) as FunctionObject;
}

/**
 * Ready for the current generation, judged as `kubeless function deploy --wait` judges it; a
 * failure the platform reports as final (twice in a row) ends the wait at once.
 */
async function waitReady(ctx: CaseContext, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no status yet';
  let failedBefore = false;
  for (;;) {
    const fn = await getFunction(ctx, name).catch((err: Error) => {
      last = err.message;
      return undefined;
    });
    const r = fn ? readiness(fn) : undefined;
    if (r) last = `${r.phase}: ${r.reason}: ${r.message}`;
    if (r?.phase === 'ready') break;
    if (r?.phase === 'failed' && failedBefore) fail(`Function ${name} failed`, last);
    failedBefore = r?.phase === 'failed';
    if (Date.now() > deadline) fail(`Function ${name} did not become Ready in ${timeoutMs / 1000} s`, last);
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (ctx.target.kind === 'cluster') {
    // The Makefiles' rollout-status step, then their sleep.
    const args = ['rollout', 'status', `deployment/${name}`, '-n', ctx.namespace, '--timeout=120s'];
    const r = await ctx.target.kubectl(args, 130_000);
    if (r.code !== 0) fail(`the Deployment of ${name} did not roll out`, shown('kubectl', args, r));
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function call(
  ctx: CaseContext,
  name: string,
  args: Arg[],
): Promise<{ r: CommandResult; text: string }> {
  const full = ['function', 'call', name, ...resolveArgs(ctx, args), '-n', ctx.namespace];
  const r = await ctx.target.kubeless(full, 120_000);
  return { r, text: shown('kubeless', full, r) };
}

interface Pod {
  metadata: {
    name: string;
    creationTimestamp: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec: { containers: { env?: { name: string; value?: string }[] }[] };
  status: { phase?: string };
}

/**
 * The function's serving pod, as `kubectl get po -l function=<name>` shows it. The Makefiles took
 * the first; after an update that can be the old pod on its way out, so the newest running pod
 * that is not being deleted is taken.
 */
async function servingPod(ctx: CaseContext, name: string): Promise<Pod> {
  const args = ['get', 'po', '-l', `function=${name}`, '-n', ctx.namespace, '-o', 'json'];
  const r = await ctx.target.kubectl(args);
  if (r.code !== 0) fail(`kubectl could not read the pods of ${name}`, shown('kubectl', args, r));
  const pods = (JSON.parse(r.stdout) as { items: Pod[] }).items
    .filter((p) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp)
    .sort((a, b) => b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp));
  if (!pods[0]) fail(`no running pod of ${name}`, shown('kubectl', args, r));
  return pods[0];
}

/** The container env of the function: the pod's on a cluster, the Function's locally. */
async function envOf(ctx: CaseContext, name: string): Promise<string> {
  if (ctx.target.kind === 'cluster')
    return JSON.stringify((await servingPod(ctx, name)).spec.containers[0]?.env ?? []);
  const fn = await getFunction(ctx, name);
  return JSON.stringify(fn.spec.deployment?.spec?.template?.spec?.containers?.[0]?.env ?? []);
}

async function logsOf(ctx: CaseContext, name: string): Promise<string> {
  if (ctx.target.kind === 'cluster') {
    const args = ['logs', '--tail=1000', '-l', `function=${name}`, '-n', ctx.namespace];
    const r = await ctx.target.kubectl(args);
    if (r.code !== 0) fail(`kubectl logs of ${name} failed`, shown('kubectl', args, r));
    return r.stdout;
  }
  // No pods locally: the CLI's log command reads the function's output.
  const args = ['function', 'logs', name, '--tail', '1000', '-n', ctx.namespace];
  const r = await ctx.target.kubeless(args);
  if (r.code !== 0) fail(`kubeless function logs ${name} failed`, shown('kubeless', args, r));
  return r.stdout;
}

async function until<T>(seconds: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const v = await probe();
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function formOf(fields: FormField[]): FormData {
  const form = new FormData();
  for (const f of fields) {
    if ('value' in f) form.append(f.name, f.value);
    else form.append(f.name, new Blob([readFileSync(path.join(FIXTURES, f.file))]), path.basename(f.file));
  }
  return form;
}

async function runCheck(ctx: CaseContext, c: OriginalCase, check: Check): Promise<void> {
  const name = functionName(c);
  const { target } = ctx;
  if ('call' in check) {
    const { r, text } = await call(ctx, check.name ?? name, check.call);
    const out = check.withStderr ? echoed(`${r.stdout} ${r.stderr}`) : r.stdout;
    if (!check.grep.test(out)) fail(`the call's output does not match ${check.grep}`, text);
  } else if ('callUntil' in check) {
    const seen: string[] = [];
    for (let i = 0; i < check.tries; i++) {
      const { r, text } = await call(ctx, name, []);
      if (check.callUntil.test(r.stdout)) return;
      seen.push(text);
    }
    fail(`none of ${check.tries} calls matches ${check.callUntil}`, seen.join('\n'));
  } else if ('logs' in check) {
    // The function's output may reach the log a moment after the answer.
    let logs = '';
    const missing = await until(15, async () => {
      logs = echoed(await logsOf(ctx, name));
      const left = check.logs.filter((re) => !re.test(logs));
      return left.length === 0 ? undefined : left;
    });
    if (missing) fail(`the logs of ${name} do not match ${missing.join(', ')}`, `logs: ${logs.slice(-2000)}`);
  } else if ('serviceTargetPort' in check) {
    // Locally there is no Service: the Function's spec.service is what a controller would render.
    const args =
      target.kind === 'cluster'
        ? ['get', 'svc', name, '-n', ctx.namespace, '-o', 'yaml']
        : ['get', 'functions.kubeless.io', name, '-n', ctx.namespace, '-o', 'yaml'];
    const r = await target.kubectl(args);
    if (!r.stdout.includes(`targetPort: ${check.serviceTargetPort}`)) {
      fail(`no 'targetPort: ${check.serviceTargetPort}'`, shown('kubectl', args, r));
    }
  } else if ('podEnv' in check) {
    const env = await envOf(ctx, name);
    for (const [k, v] of Object.entries(check.podEnv)) {
      if (!env.includes(`"name":"${k}","value":"${v}"`)) fail(`env ${k}=${v} is missing`, `env: ${env}`);
    }
  } else if ('podLabels' in check) {
    const labels =
      target.kind === 'cluster'
        ? JSON.stringify((await servingPod(ctx, name)).metadata.labels ?? {})
        : JSON.stringify((await getFunction(ctx, name)).metadata.labels ?? {});
    for (const [k, v] of Object.entries(check.podLabels)) {
      if (!labels.includes(`"${k}":"${v}"`)) fail(`label ${k}=${v} is missing`, `labels: ${labels}`);
    }
  } else if ('exec' in check) {
    await execCheck(ctx, name, check);
  } else if ('top' in check) {
    const args = ['function', 'top', '--function', name, '--out', 'yaml', '-n', ctx.namespace];
    const r = await target.kubeless(args);
    if (!check.top.test(r.stdout))
      fail(`function top does not match ${check.top}`, shown('kubeless', args, r));
  } else if ('scheduledCallWithin' in check) {
    // The original grepped the runtime's access log for a GET answered 200; ours keeps no access
    // log, so the function's call metrics (function top) stand for it.
    const args = ['function', 'top', '--function', name, '--out', 'yaml', '-n', ctx.namespace];
    let last: CommandResult | undefined;
    const called = await until(check.scheduledCallWithin, async () => {
      last = await target.kubeless(args);
      return /total_calls: *[1-9]/.test(last.stdout) ? true : undefined;
    });
    if (!called) {
      fail(
        `no scheduled call within ${check.scheduledCallWithin} s`,
        last ? shown('kubeless', args, last) : '',
      );
    }
  } else if ('multipart' in check) {
    const endpoint = await target.functionUrl(ctx.namespace, name);
    try {
      const url = `${endpoint.url}${check.query ? `?${check.query}` : ''}`;
      const res = await fetch(url, { method: 'POST', headers: check.headers, body: formOf(check.multipart) });
      const text = await res.text();
      if (!check.grep.test(text))
        fail(
          `the multipart POST's answer does not match ${check.grep}`,
          `POST ${url}: ${res.status} ${text}`,
        );
    } finally {
      endpoint.done();
    }
  } else {
    await publishCheck(ctx, name, check);
  }
}

async function execCheck(
  ctx: CaseContext,
  name: string,
  check: Extract<Check, { exec: string[] }>,
): Promise<void> {
  if (ctx.target.kind === 'cluster') {
    const pod = (await servingPod(ctx, name)).metadata.name;
    const args = ['exec', pod, '-n', ctx.namespace, '--', ...check.exec];
    const r = await ctx.target.kubectl(args);
    if (!check.grep.test(r.stdout))
      fail(`kubectl exec output does not match ${check.grep}`, shown('kubectl', args, r));
    return;
  }
  // Local function processes cannot be exec'd into: the Function must carry what the pod would.
  const standIn = check.local;
  if (!standIn) throw new Error(`case ${name}: an exec check needs a local stand-in or unsupportedLocally`);
  if ('functionEnv' in standIn) {
    const env = await envOf(ctx, name);
    for (const [k, v] of Object.entries(standIn.functionEnv)) {
      if (!env.includes(`"name":"${k}","value":"${v}"`))
        fail(`env ${k}=${v} is missing from the Function`, `env: ${env}`);
    }
  } else {
    const deps = (await getFunction(ctx, name)).spec.deps ?? '';
    if (!standIn.functionDeps.test(deps))
      fail(`spec.deps does not match ${standIn.functionDeps}`, `deps: ${deps}`);
  }
}

async function publishCheck(
  ctx: CaseContext,
  name: string,
  check: Extract<Check, { publish: unknown }>,
): Promise<void> {
  const token = randomBytes(6).toString('hex');
  const args = [
    'topic',
    'publish',
    '--topic',
    check.publish.topic,
    '--data',
    check.publish.message.replace('$(DATA)', token),
  ];
  const r = await ctx.target.kubeless(args);
  if (r.code !== 0) fail('kubeless topic publish failed', shown('kubeless', args, r));
  let logs = '';
  const seen = await until(60, async () => {
    logs = echoed(await logsOf(ctx, name));
    return logs.includes(token) ? true : undefined;
  });
  if (!seen)
    fail(
      `the published token ${token} is not in the logs of ${name} after 60 s`,
      `logs: ${logs.slice(-2000)}`,
    );
  const missing = check.eventFields.filter((re) => !re.test(logs));
  if (missing.length > 0)
    fail(`the logs of ${name} do not match ${missing.join(', ')}`, `logs: ${logs.slice(-2000)}`);
}

/** The verify target (after the case's update commands, if any); throws what failed and why. */
export async function verifyCase(ctx: CaseContext, c: OriginalCase, deployed: StepOutcome[]): Promise<void> {
  const output = deployed.map((d) => d.text).join('\n');
  if (ctx.target.kind === 'local' && c.unsupportedLocally) {
    const said = deployed.map((d) => `${d.result.stdout}\n${d.result.stderr}`).join('\n');
    if (!c.unsupportedLocally.test(said)) {
      fail(`the CLI should say the flag cannot work on the local platform (${c.unsupportedLocally})`, output);
    }
    return;
  }
  if (deployed.some((d) => !d.ok)) fail('the deploy target failed', output);
  for (const step of c.then ?? []) {
    const outcome = await runStep(ctx, step);
    if (!outcome.ok) fail('the update target failed', outcome.text);
  }
  await waitReady(ctx, functionName(c), 300_000);
  for (const check of c.checks) await runCheck(ctx, c, check);
}
