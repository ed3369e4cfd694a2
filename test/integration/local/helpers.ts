// Shared by the local-platform integration tests: a tiny HTTP client for the platform's API and
// Function manifests. Everything goes over real HTTP to 127.0.0.1.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { startPlatform, type Platform, type PlatformOptions } from '../../../local/platform.js';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const FN_PATH = '/apis/kubeless.io/v1beta1/namespaces';
export const SUB_PATH = '/apis/subresources.kubeless.io/v1/namespaces';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  urlPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}

export function nodeFunction(
  name: string,
  code: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name },
    spec: { runtime: 'nodejs20', handler: `${name}.handler`, function: code, ...extra },
  };
}

export function pythonFunction(name: string, code: string): Record<string, unknown> {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name, labels: { suite: 'many' } },
    spec: { runtime: 'python3.11', handler: `${name}.handler`, function: code },
  };
}

interface ReadyCondition {
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}

export function readyOf(fn: Record<string, unknown>): ReadyCondition | undefined {
  const status = fn.status as { conditions?: Array<ReadyCondition & { type: string }> } | undefined;
  return status?.conditions?.find((c) => c.type === 'Ready');
}

/** Polls a Function until `pred` holds (the controller works asynchronously, like a real one). */
export async function waitFor(
  base: string,
  ns: string,
  name: string,
  pred: (fn: Record<string, unknown>) => boolean,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    const r = await call(base, 'GET', `${FN_PATH}/${ns}/functions/${name}`);
    last = r.body;
    if (r.status === 200 && pred(r.body)) return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(
    `function ${ns}/${name} did not reach the expected state; last seen: ${JSON.stringify(last.status)}`,
  );
}

export function tmpDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'kl-local-'));
}

/** Runs `kubeless local` as its own process (the way `npm start` does) and waits for its URL. */
export async function startCli(
  dataDir: string,
): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'kubeless.js'), 'local', '--port', '0', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
    if (m) return { child, base: m[1]!, output: () => out };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`kubeless local did not start: ${out}`);
}

export async function stopCli(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await gone;
  clearTimeout(timer);
}

/** Whether a process still runs; a zombie (killed, not yet reaped by its new parent) does not. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * The local platform in-process on a free port with a fresh data dir (or `dataDir`, which close()
 * then leaves to the caller), as most suites here use it.
 */
export async function startTestPlatform(
  opts: Omit<Partial<PlatformOptions>, 'logger'> = {},
): Promise<{ platform: Platform; base: string; dataDir: string; close(): Promise<void> }> {
  const own = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? tmpDataDir();
  const platform = await startPlatform({ port: 0, logger: pino({ level: 'silent' }), ...opts, dataDir });
  return {
    platform,
    base: platform.url,
    dataDir,
    async close() {
      await platform.close();
      if (own) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates an object and waits until the Function is Ready, failing with its last status. */
export async function deployReady(
  base: string,
  fn: Record<string, unknown>,
  timeoutMs = 150_000,
): Promise<Record<string, unknown>> {
  const meta = fn.metadata as { name: string; namespace?: string };
  const ns = meta.namespace ?? 'default';
  const created = await call(base, 'POST', `${FN_PATH}/${ns}/functions`, fn);
  if (created.status !== 201)
    throw new Error(`creating ${ns}/${meta.name} answered ${created.status}: ${created.text}`);
  return waitFor(base, ns, meta.name, (o) => readyOf(o)?.status === 'True', timeoutMs);
}

export interface KubectlRun {
  stdout: string;
  stderr: string;
  code: number;
}

/** The real kubectl (KUBECTL, else /usr/bin/kubectl) against `server`, with its own HOME and no kubeconfig. */
export async function kubectlAgainst(server: string, home: string, args: string[]): Promise<KubectlRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      KUBECTL,
      ['--server', server, '--cache-dir', path.join(home, 'cache'), ...args],
      { env: { ...process.env, HOME: home, KUBECONFIG: path.join(home, 'none') }, timeout: 60_000 },
    );
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? 1 };
  }
}

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
