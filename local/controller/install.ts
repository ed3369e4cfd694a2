// Dependency installs with the runtime's own install step, cached by the checksum of the
// dependency file: functions with the same deps share one installed tree (linked in).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { RuntimeInfo } from '../../lib/catalog.js';
import { inside } from '../../lib/fs/inside.js';
import type { FunctionLog } from './logs.js';
import { launch, runtimeCommand, type PidFiles } from './launch.js';

export class InstallError extends Error {}

/** Where each language's install step puts what it installed, relative to the install volume. */
const INSTALLED_DIR: Record<RuntimeInfo['language'], string> = {
  nodejs: 'node_modules',
  python: '.python_packages',
};

export function depsKey(runtime: RuntimeInfo, deps: string): string {
  return createHash('sha256')
    .update(`${runtime.language}\0${runtime.depsFile}\0${deps}`)
    .digest('hex')
    .slice(0, 32);
}

export class DepsInstaller {
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly cacheDir: string,
    private readonly pids: PidFiles,
    private readonly timeoutMs = 10 * 60_000,
  ) {}

  /** Makes the installed deps appear in `fnDir` (a link into the cache), installing them once. */
  async provide(runtime: RuntimeInfo, deps: string, fnDir: string, log: FunctionLog): Promise<void> {
    const key = depsKey(runtime, deps);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.install(runtime, deps, key, log).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const installed = inside(await pending, INSTALLED_DIR[runtime.language]);
    const link = inside(fnDir, INSTALLED_DIR[runtime.language]);
    rmSync(link, { recursive: true, force: true });
    if (existsSync(installed)) symlinkSync(installed, link, 'dir');
  }

  private async install(runtime: RuntimeInfo, deps: string, key: string, log: FunctionLog): Promise<string> {
    const done = inside(this.cacheDir, key);
    if (existsSync(inside(done, '.installed'))) {
      log.line(`dependencies ${key} already installed; reusing them`);
      return done;
    }
    const work = inside(this.cacheDir, `${key}.tmp-${process.pid}-${Date.now()}`);
    mkdirSync(work, { recursive: true });
    writeFileSync(inside(work, runtime.depsFile), deps);
    log.line(`installing dependencies from ${runtime.depsFile}`);
    const l = launch(
      runtimeCommand(runtime.language, 'install'),
      'install',
      { KUBELESS_INSTALL_VOLUME: work },
      work,
      this.pids,
    );
    l.child.stdin?.end();
    l.child.stdout?.on('data', (c: Buffer) => log.write('stdout', c));
    l.child.stderr?.on('data', (c: Buffer) => log.write('stderr', c));
    const timer = setTimeout(() => l.child.kill('SIGKILL'), this.timeoutMs);
    const { code, signal } = await l.exited;
    clearTimeout(timer);
    if (code !== 0) {
      rmSync(work, { recursive: true, force: true });
      throw new InstallError(
        `the ${runtime.language} install step failed (${signal ? `signal ${signal}` : `exit code ${code}`}); check the package names and versions in spec.deps (the function's log has the installer output)`,
      );
    }
    writeFileSync(inside(work, '.installed'), new Date().toISOString());
    rmSync(done, { recursive: true, force: true });
    renameSync(work, done);
    return done;
  }
}
