// Issue 16: a second `kubeless local` on the same data dir while the first still ran "reaped" the
// live instance's runtime processes and emptied its functions' code directories before failing on
// the port. The data dir is now locked (pid + process start time): a second start is refused
// before it touches anything, naming the owner's pid and port; a lock left by a dead process, or
// naming a pid that now belongs to another process, is taken over.
import { afterAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  alive,
  call,
  FN_PATH,
  nodeFunction,
  pythonFunction,
  readyOf,
  startCli,
  stopCli,
  SUB_PATH,
  tmpDataDir,
  waitFor,
} from './helpers.js';

const dataDir = tmpDataDir();
const started: ChildProcess[] = [];
afterAll(async () => {
  for (const c of started) await stopCli(c, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

const NODE = 'module.exports.handler = () => String(process.pid);';
const PYTHON = 'import os\ndef handler(event, context):\n    return str(os.getpid())\n';
const NAMES = ['lock-node', 'lock-py'];

/** Every file under the functions' code directories, with its content. */
function codeFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[path.relative(dataDir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(path.join(dataDir, 'functions'));
  return out;
}

async function pids(base: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of NAMES) {
    const r = await call(base, 'POST', `${SUB_PATH}/default/functions/${name}/invoke`, '');
    expect(r.status).toBe(200);
    out.push(r.text);
  }
  return out;
}

async function allReady(base: string): Promise<void> {
  for (const name of NAMES)
    await waitFor(base, 'default', name, (fn) => readyOf(fn)?.status === 'True', 150_000);
}

describe('the data dir lock', () => {
  let first: Awaited<ReturnType<typeof startCli>>;

  it("refuses a second start while the first runs, touching none of the first one's functions", async () => {
    first = await startCli(dataDir);
    started.push(first.child);
    expect(
      (await call(first.base, 'POST', `${FN_PATH}/default/functions`, nodeFunction(NAMES[0]!, NODE))).status,
    ).toBe(201);
    const py = pythonFunction(NAMES[1]!, PYTHON);
    expect((await call(first.base, 'POST', `${FN_PATH}/default/functions`, py)).status).toBe(201);
    await allReady(first.base);
    const before = await pids(first.base);
    const files = codeFiles();
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(2);

    const port = new URL(first.base).port;
    await expect(startCli(dataDir)).rejects.toThrow(
      new RegExp(
        `used by another kubeless local, pid ${first.child.pid} \\(its API on 127\\.0\\.0\\.1:${port}.*kill ${first.child.pid}`,
      ),
    );

    expect(codeFiles()).toEqual(files);
    for (const pid of before) expect(alive(Number(pid))).toBe(true);
    expect(await pids(first.base)).toEqual(before);
  }, 240_000);

  it('takes over the lock of a platform killed with SIGKILL', async () => {
    const stalePid = first.child.pid!;
    await stopCli(first.child, 'SIGKILL');
    expect(JSON.parse(readFileSync(path.join(dataDir, 'lock'), 'utf8'))).toMatchObject({ pid: stalePid });
    const second = await startCli(dataDir);
    started.push(second.child);
    expect(second.output()).toMatch(
      new RegExp(`took over the data dir.*"previousPid":${stalePid}|"previousPid":${stalePid}.*took over`),
    );
    await allReady(second.base);
    await pids(second.base);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'lock'), 'utf8'))).toMatchObject({
      pid: second.child.pid,
      port: Number(new URL(second.base).port),
    });
    // A clean stop releases the lock.
    await stopCli(second.child, 'SIGTERM');
    expect(() => readFileSync(path.join(dataDir, 'lock'))).toThrow(/ENOENT/);
  }, 240_000);

  it('takes over a lock whose pid now belongs to another process (a recycled pid)', async () => {
    // This test's own pid runs, but it did not start at the recorded time.
    writeFileSync(
      path.join(dataDir, 'lock'),
      JSON.stringify({
        pid: process.pid,
        start: 'another-boot:1',
        host: os.hostname(),
        dataDir,
        since: '2020-01-01T00:00:00Z',
        port: 1,
      }),
    );
    const third = await startCli(dataDir);
    started.push(third.child);
    expect(third.output()).toContain('took over the data dir');
    await allReady(third.base);
  }, 240_000);
});
