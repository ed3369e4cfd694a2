// Runs the built `kubeless` binary as a child process, the way a user does.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startPlatform, type Platform } from '../../../local/platform.js';
import { ROOT } from '../runtimes/harness.js';

export const BIN = join(ROOT, 'bin/kubeless.js');

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

// The CLI sources these tests exercise; other commands in cli/ belong to other suites and
// their edits must not make this one refuse to run.
const OWN_DIRS = ['cli/kube', 'cli/function', 'cli/render'];
const OWN_FILES = /^(errors|log|lazy|main)\.ts$|^commands\/(function[-a-z]*|options|wait|version)\.ts$/;

function newestTs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function newestOwnSource(): number {
  const cli = join(ROOT, 'cli');
  const files = [...readdirSync(cli), ...readdirSync(join(cli, 'commands')).map((f) => `commands/${f}`)]
    .filter((f) => OWN_FILES.test(f))
    .map((f) => statSync(join(cli, f)).mtimeMs);
  return Math.max(...files, ...OWN_DIRS.map((d) => newestTs(join(ROOT, d))));
}

/** The tests run dist/, so refuse to test stale output instead of silently testing old code. */
export function assertBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist/main.js')).mtimeMs;
  } catch {
    throw new Error('dist/main.js is missing: run `npm run build` before the CLI integration tests');
  }
  if (newestOwnSource() > built) {
    throw new Error(
      'dist/ is older than the CLI sources: run `npm run build` before the CLI integration tests',
    );
  }
}

export function kubeless(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env },
        timeout: 60_000,
        maxBuffer: 16 << 20,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function spawnKubeless(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface KubeconfigOptions {
  server: string;
  namespace?: string;
  ca?: string;
  clientCert?: { cert: string; key: string };
  token?: string;
}

export function writeKubeconfig(file: string, o: KubeconfigOptions): void {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const cluster = [`    server: ${o.server}`];
  if (o.ca) cluster.push(`    certificate-authority-data: ${b64(o.ca)}`);
  const user: string[] = [];
  if (o.clientCert) {
    user.push(
      `    client-certificate-data: ${b64(o.clientCert.cert)}`,
      `    client-key-data: ${b64(o.clientCert.key)}`,
    );
  }
  if (o.token) user.push(`    token: ${o.token}`);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: test',
      'clusters:',
      '- name: test',
      '  cluster:',
      ...cluster,
      'users:',
      '- name: tester',
      `  user:${user.length ? '' : ' {}'}`,
      ...user,
      'contexts:',
      '- name: test',
      '  context:',
      '    cluster: test',
      '    user: tester',
      ...(o.namespace ? [`    namespace: ${o.namespace}`] : []),
      '',
    ].join('\n'),
  );
}

export interface CliPlatform {
  platform: Platform;
  /** A scratch dir of the suite's own (the platform's data dir is inside it). */
  dir: string;
  /** The environment that points the CLI at the platform, in `namespace`, through KUBECONFIG. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The local platform in-process with a kubeconfig for it, as each CLI suite starts it. */
export async function startCliPlatform(namespace: string, prefix: string): Promise<CliPlatform> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const platform = await startPlatform({
    port: 0,
    dataDir: join(dir, 'data'),
    poolSize: 0,
    logger: pino({ level: 'silent' }),
  });
  // KUBECONFIG (not --kubeconfig) so the suites also cover kubectl's lookup order.
  writeKubeconfig(join(dir, 'config'), { server: platform.url, namespace });
  return {
    platform,
    dir,
    env: { KUBECONFIG: join(dir, 'config') },
    async close() {
      await platform.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
