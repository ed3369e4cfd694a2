// Starting and stopping runtime server processes. Each runs in its own process group (so the
// Node.js runtime's supervisor and worker stop together) and leaves a pid file in the data dir,
// so a platform restarted after `kill -9` can stop the processes its predecessor left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeLanguage } from '../../lib/catalog.js';
import { inside } from '../../lib/fs/inside.js';
import { processEnv, type ProcessPurpose } from './process-env.js';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kubeless')
      return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the kubeless package root (package.json named "kubeless")');
    dir = up;
  }
}

const ROOT = findRoot();

/** The argv of a language's server and install step (no shell: these are argv arrays). */
export function runtimeCommand(language: RuntimeLanguage, step: 'server' | 'install'): string[] {
  if (language === 'nodejs')
    return [process.execPath, path.join(ROOT, 'dist', 'runtimes', 'nodejs', `${step}.js`)];
  return [process.env.KUBELESS_PYTHON ?? 'python3', path.join(ROOT, 'runtimes', 'python', `${step}.py`)];
}

// Ports handed out lately. A port is free only until the runtime binds it, and the OS may hand the
// same one to the next caller meanwhile: two functions would then share a port, one runtime fails
// to bind, and its health check (and invokes!) reach the other function.
const handedOut = new Map<number, number>();
const HOLD_MS = 60_000;

function osFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A loopback port free now and not handed out by this process in the last minute. */
export async function freePort(): Promise<number> {
  const now = Date.now();
  for (const [port, at] of handedOut) if (now - at > HOLD_MS) handedOut.delete(port);
  for (;;) {
    const port = await osFreePort();
    if (handedOut.has(port)) continue;
    handedOut.set(port, now);
    return port;
  }
}

export class PidFiles {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  add(pid: number): void {
    writeFileSync(inside(this.dir, String(pid)), '');
  }

  remove(pid: number): void {
    rmSync(inside(this.dir, String(pid)), { force: true });
  }

  /** Stops runtime process groups a previous platform left behind (it was killed before it could). */
  reapOrphans(): number {
    let reaped = 0;
    for (const name of readdirSync(this.dir)) {
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        cmdline = '';
      }
      // Only a process that still runs one of our runtime servers: the pid may have been reused.
      if (
        cmdline.includes(path.join('runtimes', 'nodejs', 'server.js')) ||
        cmdline.includes(path.join('runtimes', 'python', 'server.py'))
      ) {
        try {
          process.kill(-pid, 'SIGKILL');
          reaped += 1;
        } catch {
          // already gone
        }
      }
      this.remove(pid);
    }
    return reaped;
  }
}

export interface Launched {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function launch(
  argv: string[],
  purpose: ProcessPurpose,
  env: Record<string, string>,
  cwd: string,
  pids: PidFiles,
): Launched {
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd,
    // Never the platform's whole environment: see process-env.ts.
    env: processEnv(process.env, purpose, env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    shell: false,
  });
  if (child.pid !== undefined) pids.add(child.pid);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      if (child.pid !== undefined) pids.remove(child.pid);
      resolve({ code, signal });
    });
    child.once('error', () => resolve({ code: 127, signal: null }));
  });
  return { child, exited };
}

/** SIGTERM the process group, SIGKILL it if it has not gone after `graceMs`. */
export async function stopGroup(l: Launched, graceMs = 3000): Promise<void> {
  const pid = l.child.pid;
  if (pid === undefined || l.child.exitCode !== null || l.child.signalCode !== null) return;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // gone already
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await l.exited;
  clearTimeout(timer);
  // The worker of the Node.js runtime may outlive its supervisor by a moment.
  signal('SIGKILL');
}

/** Polls `/healthz` until it answers 200, the process exits, or the deadline passes. */
export async function waitHealthy(
  port: number,
  exited: Promise<unknown>,
  timeoutMs: number,
): Promise<'healthy' | 'exited' | 'timeout'> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) return 'exited';
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return 'healthy';
    } catch {
      // not listening yet
    }
    // A short fixed interval: start-up of a pooled runtime takes tens of ms and every poll is cheap.
    await new Promise((r) => setTimeout(r, 3));
  }
  return gone ? 'exited' : 'timeout';
}
