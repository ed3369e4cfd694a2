// Stand-in until test/helpers/fresh-checkout.ts lands: a clone of this repository's HEAD with
// this checkout's node_modules and dist/ (no npm ci), serving on 8080 with npm start's defaults.
// Port 8080 is shared on this machine: hold the lock while the platform runs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LOCK = existsSync('/work') ? '/work/.port8080.lock' : path.join(tmpdir(), 'kubeless-port8080.lock');

export interface FreshCheckout {
  dir: string;
  url: string;
  stop(): Promise<void>;
}

function lines(child: ChildProcess, want: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${want}: ${seen.slice(-2000)}`)),
      timeoutMs,
    );
    const on = (d: Buffer) => {
      seen += d.toString();
      const m = want.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.on('exit', (code) => reject(new Error(`exited ${code} before ${want}: ${seen.slice(-2000)}`)));
  });
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    child.on('exit', () => resolve());
    process.kill(-child.pid, 'SIGTERM');
  });
}

export async function startFreshCheckout(): Promise<FreshCheckout> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeless-checkout-'));
  const clone = spawnSync('git', ['clone', '--quiet', '--local', ROOT, dir], { encoding: 'utf8' });
  if (clone.status !== 0) throw new Error(`git clone failed: ${clone.stderr}`);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  // KUBELESS_COMPAT_ANY_PORT=1 (while developing): free ports instead of 8080 and its lock.
  const anyPort = process.env.KUBELESS_COMPAT_ANY_PORT === '1';
  const holder = anyPort
    ? undefined
    : spawn('flock', [LOCK, process.execPath, '-e', 'console.log("locked"); setInterval(() => {}, 1e9)'], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  if (holder) await lines(holder, /locked/, 1_800_000);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  const platform = spawn(
    process.execPath,
    ['bin/kubeless.js', 'local', ...(anyPort ? ['--port', '0', '--gateway-port', '0'] : [])],
    { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const [, url] = await lines(platform, /"url":"(http:[^"]+)".*platform listening/, 120_000);
  return {
    dir,
    url,
    async stop() {
      await stopGroup(platform);
      if (holder) await stopGroup(holder);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
