// One Function's running runtime process: materialise, install, start (from the pool when one
// is idle), wait for /healthz, and restart with exponential backoff when it dies.
import { rmSync } from 'node:fs';
import type { Logger } from 'pino';
import type { ResolvedFunction } from '../../lib/function/resolve.js';
import { runtimeEnv } from '../../lib/function/runtime-env.js';
import { materializeFunction } from '../../lib/prepare/index.js';
import type { KubelessFunction } from '../../lib/types.js';
import { loadErrorOf, restartDelay, STABLE_AFTER_MS, type Phase } from './decide.js';
import type { DepsInstaller } from './install.js';
import {
  freePort,
  launch,
  runtimeCommand,
  stopGroup,
  waitHealthy,
  type Launched,
  type PidFiles,
} from './launch.js';
import type { FunctionLog } from './logs.js';
import type { RuntimePool } from './pool.js';
import { userEnv } from './user-env.js';

export interface InstanceDeps {
  pool: RuntimePool;
  installer: DepsInstaller;
  pids: PidFiles;
  logger: Logger;
  startTimeoutMs: number;
}

export interface InstanceTarget {
  /** The Function resolved once by the controller (lib/function/resolve.ts). */
  resolved: ResolvedFunction<KubelessFunction>;
  /** Where its code is materialised. */
  dir: string;
}

export class Instance {
  port: number | undefined;
  phase: Phase = { state: 'Progressing', message: 'preparing the code' };
  private proc: Launched | undefined;
  private restarts = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly target: InstanceTarget,
    private readonly log: FunctionLog,
    private readonly deps: InstanceDeps,
    private readonly onPhase: (i: Instance) => void,
  ) {}

  get ready(): boolean {
    return this.phase.state === 'Ready' && !this.stopped;
  }

  private setPhase(p: Phase): void {
    if (this.stopped) return;
    this.phase = p;
    this.onPhase(this);
  }

  /** Prepares the directory then starts the process; resolves once it is healthy or has failed. */
  async start(): Promise<void> {
    const { resolved, dir } = this.target;
    const { runtime } = resolved;
    const spec = resolved.fn.spec;
    let deps: string | undefined;
    try {
      rmSync(dir, { recursive: true, force: true });
      ({ deps } = await materializeFunction({ spec, runtime, dir }));
    } catch (err) {
      this.log.line(`preparing the code failed: ${(err as Error).message}`);
      this.setPhase({ state: 'Failed', reason: 'PrepareFailed', message: (err as Error).message });
      return;
    }
    if (deps) {
      this.setPhase({ state: 'Progressing', message: 'installing dependencies' });
      try {
        await this.deps.installer.provide(runtime, deps, dir, this.log);
      } catch (err) {
        this.setPhase({ state: 'Failed', reason: 'InstallFailed', message: (err as Error).message });
        return;
      }
    }
    if (this.stopped) return;
    await this.run();
  }

  private env(port: number): Record<string, string> {
    const { resolved, dir } = this.target;
    const user = userEnv(resolved.fn.spec.deployment, resolved.name, resolved.namespace);
    for (const s of user.skipped) this.log.line(`env ${s}`);
    const contract = runtimeEnv(resolved, { port, installVolume: dir }, Object.keys(user.env));
    return {
      // The user's first: the runtime contract's variables win (validation refuses those names anyway).
      ...user.env,
      ...Object.fromEntries(contract.map((v) => [v.name, v.value])),
      FUNC_MEMORY_LIMIT: '0',
      KUBELESS_LISTEN_HOST: '127.0.0.1',
    };
  }

  private async run(): Promise<void> {
    const port = await freePort();
    const env = this.env(port);
    let proc = this.restarts === 0 ? this.deps.pool.take(this.target.resolved.runtime.language) : undefined;
    if (proc) proc.child.stdin?.write(JSON.stringify({ env }) + '\n');
    else
      proc = launch(
        runtimeCommand(this.target.resolved.runtime.language, 'server'),
        'runtime',
        env,
        this.target.dir,
        this.deps.pids,
      );
    proc.child.stdin?.on('error', () => undefined);
    this.proc = proc;
    // A pooled process had its output drained while idle; from now on it is the function's log.
    proc.child.stdout?.removeAllListeners('data');
    proc.child.stderr?.removeAllListeners('data');
    let loadError: string | undefined;
    let stderrTail = '';
    proc.child.stdout?.on('data', (c: Buffer) => this.log.write('stdout', c));
    proc.child.stderr?.on('data', (c: Buffer) => {
      this.log.write('stderr', c);
      stderrTail = (stderrTail + c.toString()).slice(-8192);
      for (const line of stderrTail.split('\n')) loadError = loadError ?? loadErrorOf(line);
    });
    const started = Date.now();
    const result = await waitHealthy(port, proc.exited, this.deps.startTimeoutMs);
    if (this.stopped) return;
    const ended = this.afterExit(proc, started, () => loadError);
    if (result === 'healthy') {
      this.port = port;
      this.setPhase({ state: 'Ready' });
      return;
    }
    if (result === 'timeout') {
      this.log.line(`the runtime did not answer /healthz within ${this.deps.startTimeoutMs} ms; stopping it`);
      await stopGroup(proc, 500);
    }
    await ended;
  }

  /** Waits for the process to end, then records why and restarts it (except after a load error). */
  private async afterExit(
    proc: Launched,
    started: number,
    loadError: () => string | undefined,
  ): Promise<void> {
    const { code, signal } = await proc.exited;
    if (this.stopped) return;
    this.port = undefined;
    if (code === 3) {
      const message = `the function failed to load: ${loadError() ?? 'see the function log'}; fix the code or spec.handler`;
      this.log.line(message);
      this.setPhase({ state: 'Failed', reason: 'LoadError', message });
      return;
    }
    if (Date.now() - started > STABLE_AFTER_MS) this.restarts = 0;
    const delay = restartDelay(this.restarts);
    this.restarts += 1;
    const message = `the runtime exited (${signal ? `signal ${signal}` : `code ${code}`}); restart ${this.restarts} in ${delay} ms`;
    this.log.line(message);
    this.deps.logger.warn(
      { namespace: this.target.resolved.namespace, name: this.target.resolved.name, code, signal, delay },
      'runtime exited; restarting',
    );
    this.setPhase({ state: 'Failed', reason: 'CrashLoop', message });
    this.timer = setTimeout(() => void this.run(), delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.port = undefined;
    clearTimeout(this.timer);
    if (this.proc) await stopGroup(this.proc);
  }
}
