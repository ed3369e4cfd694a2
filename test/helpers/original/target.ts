// A platform the original cases run against, as the Makefiles saw one: our `kubeless` CLI and
// kubectl pointed at it, and plain HTTP to a function where the Makefile used curl.
import { execFile } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Target {
  kind: 'local' | 'cluster';
  /** Our CLI (bin/kubeless.js of the checkout under test), connected to the platform. */
  kubeless(args: string[], timeoutMs?: number): Promise<CommandResult>;
  kubectl(args: string[], timeoutMs?: number): Promise<CommandResult>;
  /**
   * A plain-HTTP URL that reaches the function's own server at `/` (curl's view): the invoke
   * subresource locally, the Service through `kubectl proxy` on a cluster. `done` releases it.
   */
  functionUrl(namespace: string, name: string): Promise<{ url: string; done: () => void }>;
  /** The address a server of the test must listen on for the platform to fetch from it. */
  fileHost: string;
  /** Brokers for the pubsub cases, when the platform has Kafka. */
  kafkaBrokers?: string;
}

/** Runs a command without a shell; resolves whatever its exit code. */
export function exec(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  cwd?: string,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, cwd, timeout: timeoutMs, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number' && !err.killed) {
        reject(new Error(`${cmd} ${args.join(' ')} could not run: ${err.message}`));
        return;
      }
      const code = err ? (typeof err.code === 'number' ? err.code : 124) : 0;
      resolve({ code, stdout, stderr: err?.killed ? `${stderr}\n(killed after ${timeoutMs} ms)` : stderr });
    });
  });
}

/** `cmd args` and its output, for failure messages. */
export function shown(cmd: string, args: string[], r: CommandResult): string {
  const out = [
    r.stdout.trim() && `stdout: ${r.stdout.trim()}`,
    r.stderr.trim() && `stderr: ${r.stderr.trim()}`,
  ]
    .filter(Boolean)
    .join('\n');
  return `$ ${cmd} ${args.map((a) => (/[\s'"*]/.test(a) ? `'${a}'` : a)).join(' ')}\n(exit ${r.code})\n${out}`;
}
