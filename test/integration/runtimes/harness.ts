// Starts the real runtime servers as processes, the way a pod or the local platform does.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Language = 'nodejs' | 'python';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES = path.join(ROOT, 'test/integration/runtimes/fixtures');
export const EXAMPLES = path.join(ROOT, 'examples');
const NODE_SERVER = path.join(ROOT, 'dist/runtimes/nodejs/server.js');
const PY_SERVER = path.join(ROOT, 'runtimes/python/server.py');

/** Compiles just the Node.js runtime when dist is missing or older than its sources. */
export function ensureNodeRuntimeBuilt(): void {
  const srcDir = path.join(ROOT, 'runtimes/nodejs');
  const newest = Math.max(
    ...readdirSync(srcDir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => statSync(path.join(srcDir, f)).mtimeMs),
  );
  if (existsSync(NODE_SERVER) && statSync(NODE_SERVER).mtimeMs >= newest) return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(srcDir, 'tsconfig.json')],
    {
      stdio: 'inherit',
    },
  );
}

export function serverCommand(language: Language): string[] {
  return language === 'nodejs' ? [process.execPath, NODE_SERVER] : ['python3', PY_SERVER];
}

export interface Runtime {
  proc: ChildProcess;
  port: number;
  url: string;
  logs: () => string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export interface StartOptions {
  volume: string;
  mod: string;
  handler: string;
  env?: Record<string, string>;
  /** Pool mode: the config line is written after the process has started. */
  pool?: boolean;
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'PYENV_ROOT', 'PYENV_VERSION']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export function spawnRuntime(
  language: Language,
  opts: StartOptions,
): { proc: ChildProcess; logs: () => string } {
  const fnEnv: Record<string, string> = {
    KUBELESS_INSTALL_VOLUME: opts.volume,
    MOD_NAME: opts.mod,
    FUNC_HANDLER: opts.handler,
    FUNC_PORT: '0',
    FUNC_TIMEOUT: '1',
    FUNC_RUNTIME: language === 'nodejs' ? 'nodejs20' : 'python3.11',
    FUNC_MEMORY_LIMIT: '128Mi',
    KUBELESS_LISTEN_HOST: '127.0.0.1',
    ...opts.env,
  };
  const env = opts.pool ? { ...baseEnv(), KUBELESS_WAIT_FOR_CONFIG: 'stdin' } : { ...baseEnv(), ...fnEnv };
  const [cmd, ...args] = serverCommand(language);
  const proc = spawn(cmd!, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  if (opts.pool) proc.stdin!.write(JSON.stringify({ env: fnEnv }) + '\n');
  return { proc, logs: () => output };
}

export function exitOf(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) resolve(proc.exitCode);
    else proc.once('exit', (code) => resolve(code));
  });
}

/** Resolves once the runtime logged its port; rejects with its output if it dies first. */
export async function startRuntime(language: Language, opts: StartOptions): Promise<Runtime> {
  const { proc, logs } = spawnRuntime(language, opts);
  const exited = exitOf(proc);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runtime did not start in 15s:\n${logs()}`)), 15_000);
    const look = (): void => {
      const match =
        /"msg": ?"function listening"[^\n]*"port": ?(\d+)|"port": ?(\d+)[^\n]*"msg": ?"function listening"/.exec(
          logs(),
        );
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1] ?? match[2]));
      }
    };
    proc.stderr!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`runtime exited with ${code} before listening:\n${logs()}`));
    });
  });
  return {
    proc,
    port,
    url: `http://127.0.0.1:${port}`,
    logs,
    exited,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export async function call(
  rt: Runtime,
  pathname: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; text: string; bytes: Buffer }> {
  const res = await fetch(rt.url + pathname, { ...init, signal: AbortSignal.timeout(10_000) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text: bytes.toString('utf8'), bytes };
}

export async function json(
  rt: Runtime,
  pathname: string,
  init: RequestInit = {},
): Promise<Record<string, unknown>> {
  const res = await call(rt, pathname, init);
  if (res.status !== 200) throw new Error(`${pathname} answered ${res.status}: ${res.text}`);
  return JSON.parse(res.text) as Record<string, unknown>;
}
