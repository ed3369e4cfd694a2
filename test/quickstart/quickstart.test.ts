// README's quick start, followed word for word on a fresh clone, as a new user would: the shell
// blocks of its "Quick start" section are read from README.md itself and run in order, with
// npm start's defaults (port 8080, data in .kubeless/ inside the clone) and no kubeconfig. Each
// answer the README documents after `#` is asserted. `npm run test:quickstart`; run by .ci/run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ensureDefaultPortsFree,
  freshCheckout,
  newUserEnv,
  npmStart,
  type FreshCheckout,
  type RunningPlatform,
} from '../helpers/fresh-checkout.js';
import { commandsOf, normalize, shellBlocksOfSection, type ShellCommand } from './readme.js';

interface Outcome {
  code: number | null;
  /** What the user reads as the answer (curl's progress meter on stderr is not shown in a terminal). */
  stdout: string;
  stderr: string;
}

/** Comments that describe what happens rather than print it, and how to check each. */
const NOTES: Array<{ pattern: RegExp; check: (m: RegExpExecArray, out: Outcome) => Promise<void> }> = [
  {
    // The start line: the API answers at the URL and the data dir is where it says.
    pattern: /^the local platform on (http:\/\/\S+), data in (\S+)$/,
    check: async (m) => {
      expect((await fetch(`${m[1]!.replace(/,$/, '')}/api`)).status).toBe(200);
      expect(existsSync(path.join(checkout.dir, m[2]!))).toBe(true);
    },
  },
  {
    pattern: /^pip installs (\S+)$/,
    check: async (m, out) => {
      expect(out.code).toBe(0);
      const installed = readdirSync(path.join(checkout.dir, '.kubeless', 'deps'), { recursive: true });
      expect(installed.some((f) => String(f).toLowerCase().includes(m[1]!))).toBe(true);
    },
  },
  {
    // A streaming command: it printed the function's log before the test stopped it.
    pattern: /^the function's log as it grows/,
    check: async (_m, out) => {
      expect(out.stdout.trim()).not.toBe('');
    },
  },
];

const STREAM_MS = 5000;
let checkout: FreshCheckout;
let platform: RunningPlatform | undefined;
let home = '';
let env: NodeJS.ProcessEnv;
let blocks: ShellCommand[][] = [];

/** kubectl from PATH, else the test control plane's; undefined when neither exists. */
function kubectlDir(): string | null | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'kubectl'))) return null;
  }
  const bin = path.join(os.homedir(), '.cache', 'kubeless', 'bin');
  const found = existsSync(bin)
    ? readdirSync(bin).find((d) => d.startsWith('kubernetes-') && existsSync(path.join(bin, d, 'kubectl')))
    : undefined;
  return found ? path.join(bin, found) : undefined;
}

const STDBUF = ['/usr/bin/stdbuf', '/bin/stdbuf'].find((p) => existsSync(p));

/**
 * Runs one README command with bash in the clone; a streaming one is stopped after STREAM_MS.
 * In a terminal curl writes each line as it comes; into a pipe it would hold them in its stdio
 * buffer until it exits, so streaming commands get line buffering (coreutils' stdbuf) here too.
 */
function runCommand(cmd: ShellCommand): Promise<Outcome> {
  const streaming = /follow=true|--follow\b/.test(cmd.text);
  const argv = streaming && STDBUF ? [STDBUF, '-oL', 'bash', '-c', cmd.text] : ['bash', '-c', cmd.text];
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: checkout.dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const limit = setTimeout(
      () => {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
      },
      streaming ? STREAM_MS : 5 * 60_000,
    );
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code: streaming ? 0 : code, stdout, stderr });
    });
  });
}

async function assertAnswer(cmd: ShellCommand, out: Outcome): Promise<void> {
  const where = `README quick start: \`${cmd.text}\` printed:\n${out.stdout}\n(stderr:)\n${out.stderr}`;
  for (const note of NOTES) {
    const m = note.pattern.exec(cmd.comment ?? '');
    if (m) {
      await note.check(m, out);
      return;
    }
  }
  expect({ where, code: out.code }).toEqual({ where, code: 0 });
  if (cmd.comment === undefined) return;
  let documented: unknown;
  try {
    documented = JSON.parse(cmd.comment);
  } catch {
    // Not JSON: the words, as printed (columns aligned however).
    expect({ where, has: normalize(out.stdout).includes(normalize(cmd.comment)) }).toEqual({
      where,
      has: true,
    });
    return;
  }
  let answer: unknown = out.stdout;
  try {
    answer = JSON.parse(out.stdout);
  } catch {
    // not JSON: compared as the text it is, so the failure shows it
  }
  expect({ where, answer }).toEqual({ where, answer: documented });
}

beforeAll(async () => {
  await ensureDefaultPortsFree();
  checkout = await freshCheckout();
  if (checkout.carried.length)
    console.log(`quick start: uncommitted files carried into the clone: ${checkout.carried.join(', ')}`);
  home = mkdtempSync(path.join(os.tmpdir(), 'kubeless-new-user-'));
  const kubectl = kubectlDir();
  env = newUserEnv(home, kubectl ? { PATH: `${kubectl}${path.delimiter}${process.env.PATH ?? ''}` } : {});
  blocks = shellBlocksOfSection(
    readFileSync(path.join(checkout.dir, 'README.md'), 'utf8'),
    'Quick start',
  ).map(commandsOf);
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  checkout?.remove();
  if (home) rmSync(home, { recursive: true, force: true });
}, 60_000);

describe("README's quick start on a fresh clone, with npm start's defaults", () => {
  it(
    'starts with `npm ci && npm start`, and every later command answers what README says',
    async () => {
      expect(blocks.length).toBeGreaterThanOrEqual(2);
      const [start, ...rest] = blocks;
      // The first block starts the platform: run it as written, in the background.
      expect(start).toHaveLength(1);
      platform = await npmStart(checkout.dir, { command: start![0]!.text, startTimeoutMs: 15 * 60_000 });
      await assertAnswer(start![0]!, { code: 0, stdout: '', stderr: '' });

      const kubectl = kubectlDir();
      for (const block of rest) {
        if (kubectl === undefined && block.some((c) => /^kubectl\b/m.test(c.text))) {
          // Its later lines need what the kubectl line made; the other blocks stand alone.
          console.log(
            'quick start: skipped a block with kubectl: no kubectl on PATH or in ~/.cache/kubeless',
          );
          continue;
        }
        for (const cmd of block) await assertAnswer(cmd, await runCommand(cmd));
      }
    },
    20 * 60_000,
  );
});
