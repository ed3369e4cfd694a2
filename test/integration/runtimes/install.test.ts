// The install steps fetch real packages from the registries, as the init containers do.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { call, ensureNodeRuntimeBuilt, EXAMPLES, ROOT, type Runtime, startRuntime } from './harness.js';

jest.setTimeout(180_000);
ensureNodeRuntimeBuilt();

const dirs: string[] = [];
const runtimes: Runtime[] = [];
afterAll(async () => {
  await Promise.all(runtimes.map((rt) => rt.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function volumeFrom(example: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeless-volume-'));
  dirs.push(dir);
  cpSync(example, dir, { recursive: true });
  return dir;
}

function run(cmd: string, args: string[], volume: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, KUBELESS_INSTALL_VOLUME: volume },
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const NODE_INSTALL = [process.execPath, path.join(ROOT, 'dist/runtimes/nodejs/install.js')] as const;
const PY_INSTALL = ['python3', path.join(ROOT, 'runtimes/python/install.py')] as const;

describe('dependency install steps', () => {
  it('npm: installs package.json deps into the volume and the function uses them', async () => {
    const volume = volumeFrom(path.join(EXAMPLES, 'nodejs/with-deps'));
    const res = await run(NODE_INSTALL[0], [NODE_INSTALL[1]], volume);
    expect(res.code).toBe(0);
    expect(existsSync(path.join(volume, 'node_modules/ms/package.json'))).toBe(true);
    const rt = await startRuntime('nodejs', { volume, mod: 'duration', handler: 'duration' });
    runtimes.push(rt);
    const answer = await call(rt, '/', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '1h',
    });
    expect(JSON.parse(answer.text)).toEqual({ input: '1h', milliseconds: 3_600_000 });
  });

  it('pip: installs requirements.txt into .python_packages and the function uses them', async () => {
    const volume = volumeFrom(path.join(EXAMPLES, 'python/with-deps'));
    const res = await run(PY_INSTALL[0], [PY_INSTALL[1]], volume);
    expect(res.code).toBe(0);
    expect(existsSync(path.join(volume, '.python_packages/humanize'))).toBe(true);
    const rt = await startRuntime('python', { volume, mod: 'timeago', handler: 'ago' });
    runtimes.push(rt);
    const answer = await call(rt, '/', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '7200',
    });
    expect(JSON.parse(answer.text)).toEqual({ seconds: 7200, words: '2 hours' });
  });

  it('both fail with a clear message when a dependency cannot be installed', async () => {
    const nodeVolume = volumeFrom(path.join(EXAMPLES, 'nodejs/with-deps'));
    writeFileSync(
      path.join(nodeVolume, 'package.json'),
      JSON.stringify({ dependencies: { ms: '999.999.999' } }),
    );
    const pyVolume = volumeFrom(path.join(EXAMPLES, 'python/with-deps'));
    writeFileSync(path.join(pyVolume, 'requirements.txt'), 'humanize==999.0.0\n');
    const [npm, pip] = await Promise.all([
      run(NODE_INSTALL[0], [NODE_INSTALL[1]], nodeVolume),
      run(PY_INSTALL[0], [PY_INSTALL[1]], pyVolume),
    ]);
    expect(npm.code).not.toBe(0);
    expect(npm.output).toContain('npm install failed; check the package names and versions in package.json');
    expect(pip.code).not.toBe(0);
    expect(pip.output).toContain(
      'pip install failed; check the package names and versions in requirements.txt',
    );
  });

  it('does nothing, successfully, when there is no dependency file', async () => {
    const volume = volumeFrom(path.join(EXAMPLES, 'python'));
    rmSync(path.join(volume, 'with-deps'), { recursive: true });
    const res = await run(PY_INSTALL[0], [PY_INSTALL[1]], volume);
    expect(res.code).toBe(0);
    expect(res.output).toContain('nothing to install');
  });
});
