// A fresh clone of this repository, set up the way README tells a new user to: `npm ci`, then
// `npm start` with every default (API on http://127.0.0.1:8080, HTTPTriggers on 8081, data in
// `.kubeless/` inside the clone). Tests that must see what a user sees use it, because temporary
// data dirs and ports hide bugs that only the defaults show (issue 20: the default data dir lies
// under this checkout's ESM package.json).
//
// API (small on purpose; the quick-start test and the original-examples suite share it):
//   freshCheckout({ uncommitted })  clone the current commit into a temporary directory
//   npmCi(dir)                      `npm ci` there (builds too: the `prepare` script)
//   npmStart(dir, { command })      start `npm start` (or a README line that runs it) and wait
//                                   until the API answers; fails at once, saying why, when port
//                                   8080 or 8081 is taken
//   newUserEnv(home)                the environment of a user with no kubeconfig and no KUBELESS_*
//   freshPlatform()                 all three; `close()` stops the platform and removes the clone
//
// What is cloned: HEAD of the checkout the tests run from, plus (by default) its uncommitted
// changes, tracked and untracked-but-not-ignored, so a developer tests what they are editing. On
// CI the tree is clean and the clone is exactly the commit. `carried` lists what was copied over.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLATFORM_URL = 'http://127.0.0.1:8080';
/** `npm start`'s ports: the API (`--port`) and the HTTPTrigger gateway (`--gateway-port`). */
export const DEFAULT_PORTS = [8080, 8081] as const;

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface FreshCheckout {
  /** The clone's directory (named `kubeless`, inside a temporary directory). */
  dir: string;
  /** The commit it was cloned at. */
  commit: string;
  /** Uncommitted files copied over from the source checkout (empty on a clean tree). */
  carried: string[];
  /** Removes the clone and its temporary directory. */
  remove(): void;
}

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a program (argv, no shell) and rejects with its output when it fails. */
export function run(
  file: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new Error(
              `${file} ${args.join(' ')} (in ${opts.cwd}) failed: ${err.message}\n${stdout}\n${stderr}`,
            ),
          );
          return;
        }
        resolve({ stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd })).stdout;
}

/** Clones the checkout these tests run from, at its HEAD, into a new temporary directory. */
export async function freshCheckout(opts: { uncommitted?: boolean } = {}): Promise<FreshCheckout> {
  const source = (await git(HERE, 'rev-parse', '--show-toplevel')).trim();
  const commit = (await git(source, 'rev-parse', 'HEAD')).trim();
  const parent = mkdtempSync(path.join(os.tmpdir(), 'kubeless-fresh-'));
  const dir = path.join(parent, 'kubeless');
  const remove = (): void => rmSync(parent, { recursive: true, force: true });
  try {
    await git(parent, 'clone', '--quiet', '--no-checkout', source, dir);
    await git(dir, 'checkout', '--quiet', '--detach', commit);
    const carried: string[] = [];
    if (opts.uncommitted ?? true) {
      const diff = await git(source, 'diff', '--binary', 'HEAD');
      if (diff.trim()) {
        await run('git', ['apply', '--binary', '--whitespace=nowarn', '-'], { cwd: dir, input: diff });
        carried.push(...(await git(source, 'diff', '--name-only', 'HEAD')).split('\n').filter(Boolean));
      }
      const untracked = (await git(source, 'ls-files', '--others', '--exclude-standard', '-z'))
        .split('\0')
        .filter(Boolean);
      for (const file of untracked) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        copyFileSync(path.join(source, file), path.join(dir, file));
        carried.push(file);
      }
    }
    return { dir, commit, carried, remove };
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * The environment of a user who has just cloned the repository: no KUBELESS_* settings (they
 * would change npm start's defaults), no npm_* variables of an enclosing `npm run`, no
 * KUBECONFIG. With `home`, HOME points there too, so no ~/.kube/config is found either (the CLI
 * then uses the local platform, as README says).
 */
export function newUserEnv(home?: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(KUBELESS_|npm_|KUBECONFIG$|INIT_CWD$)/i.test(key)) continue;
    env[key] = value;
  }
  if (home !== undefined) env.HOME = home;
  return { ...env, ...extra };
}

/** `npm ci` in the clone: installs from package-lock.json and builds (the `prepare` script). */
export async function npmCi(dir: string, timeoutMs = 15 * 60_000): Promise<void> {
  await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, env: newUserEnv(), timeoutMs });
}

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/** Fails with what to do when a default port is in use: these tests need the defaults. */
export async function ensureDefaultPortsFree(): Promise<void> {
  for (const port of DEFAULT_PORTS) {
    if (await portTaken(port)) {
      throw new Error(
        `port ${port} on 127.0.0.1 is already in use, and this test runs npm start with its defaults ` +
          `(API on 8080, HTTPTriggers on 8081). Stop what listens there (another npm start? ` +
          `\`ss -ltnp 'sport = :${port}'\` shows it) and run the test again.`,
      );
    }
  }
}

export interface RunningPlatform {
  url: string;
  /** Everything the command printed so far (stdout and stderr interleaved, last 256 KiB). */
  output(): string;
  /** SIGTERM to the command's process group (the platform stops its functions), then waits. */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 256 * 1024;

async function apiAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Starts `command` (default `npm start`; a README line such as `npm ci && npm start` works too)
 * with bash in the clone, in its own process group, and resolves once the API answers on
 * PLATFORM_URL. Rejects with the command's output if it exits or is not up in `startTimeoutMs`.
 */
export async function npmStart(
  dir: string,
  opts: { command?: string; startTimeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningPlatform> {
  await ensureDefaultPortsFree();
  const command = opts.command ?? 'npm start';
  const child = spawn('bash', ['-c', command], {
    cwd: dir,
    env: opts.env ?? newUserEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = exitOf(child);
  let gone = false;
  void exited.then(() => (gone = true));

  const stop = async (): Promise<void> => {
    if (gone || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 20_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  while (!(await apiAnswers(PLATFORM_URL))) {
    if (gone) {
      throw new Error(
        `\`${command}\` in ${dir} exited before ${PLATFORM_URL} answered; its output:\n${output}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `\`${command}\` in ${dir}: ${PLATFORM_URL} did not answer in time; its output:\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url: PLATFORM_URL, output: () => output, stop };
}

export interface FreshPlatform {
  checkout: FreshCheckout;
  platform: RunningPlatform;
  /** Stops the platform and removes the clone. */
  close(): Promise<void>;
}

/**
 * A fresh clone with `npm ci` done and `npm start` running with its defaults. `machineEnv` holds
 * what the user's machine has set up outside Kubeless (e.g. NODE_EXTRA_CA_CERTS standing in for
 * its trust store); the user's environment is otherwise newUserEnv()'s.
 */
export async function freshPlatform(
  opts: { uncommitted?: boolean; machineEnv?: Record<string, string> } = {},
): Promise<FreshPlatform> {
  await ensureDefaultPortsFree();
  const checkout = await freshCheckout(opts);
  try {
    await npmCi(checkout.dir);
    const platform = await npmStart(checkout.dir, { env: newUserEnv(undefined, opts.machineEnv) });
    return {
      checkout,
      platform,
      close: async () => {
        await platform.stop();
        checkout.remove();
      },
    };
  } catch (err) {
    checkout.remove();
    throw err;
  }
}
