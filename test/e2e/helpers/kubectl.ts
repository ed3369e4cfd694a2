// Runs the built kubectl against the test control plane, with argv arrays (never a shell).
import { execFile } from 'node:child_process';
import { clusterEnv } from './cluster.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to stdin (e.g. a manifest for `apply -f -`). */
  input?: string;
  timeoutMs?: number;
  /** The environment (PATH, KUBECONFIG) of another cluster than the shared one. */
  env?: NodeJS.ProcessEnv;
}

/** Runs kubectl and resolves with its exit code and output, whatever the code. */
export function kubectl(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run('kubectl', args, opts);
}

/** Runs kubectl and rejects, with the command and its stderr, unless it exits 0. */
export async function kubectlOk(args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await kubectl(args, opts);
  if (r.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}

/** kubectl ... -o json, parsed. */
export async function kubectlJson<T>(args: string[], opts: RunOptions = {}): Promise<T> {
  return JSON.parse(await kubectlOk([...args, '-o', 'json'], opts)) as T;
}

/** Runs any binary of the test cluster (helm, etcdctl ...) with the cluster's PATH and KUBECONFIG. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { env: opts.env ?? clusterEnv(), timeout: opts.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          reject(new Error(`${cmd} ${args.join(' ')} could not run: ${err.message}`));
          return;
        }
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}
