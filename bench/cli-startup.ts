// How long the `kubeless` binary takes to start and finish the commands people type most, beside
// the entry it replaced (which loaded every server component and @kubernetes/client-node), in one
// run with the two interleaved (new, old, new, old ...) so a busy machine slows both alike.
//   node --import tsx bench/cli-startup.ts [--runs 15] [--baseline <git ref>]
// The baseline defaults to the CLI before this work (the commit before cli/kube/kubeconfig.ts), or
// to HEAD once that tree needs packages this checkout no longer installs.
// Both trees are compiled into temp dirs (dist/ of the checkout is left alone). The calls go to a
// local platform started here, with one Node.js function. Prints the median and fastest wall time
// of each command, the CPU time (user + system) when /usr/bin/time is there, and the load average.
// Each round also times a bare `node -e 0`, the floor no command can go under: `new/node` is the
// CLI's wall time over it, from the same rounds, so it means the same on a busy machine.
// Goal (issue #20): `--help`, `version` and `function call` under 300 ms on an idle machine.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startPlatform } from '../local/platform.js';
import { buildTree, missingDependencies } from './build-tree.js';

const root = join(import.meta.dirname, '..');
const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, baseline: { type: 'string' } },
});
const runs = Number(flags.runs);
const GNU_TIME = '/usr/bin/time';

function git(args: string[]): string {
  return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
}

/**
 * The CLI before its start-up work: the commit before cli/kube/kubeconfig.ts (the first step,
 * reading kubeconfig without client-node; the lazy root entry main.ts came next) was added.
 */
function defaultBaseline(): string {
  const added = git(['log', '--diff-filter=A', '--format=%H', '--', 'cli/kube/kubeconfig.ts'])
    .split('\n')
    .filter(Boolean)
    .at(-1);
  const before = added ? `${added}^` : 'HEAD';
  // That tree needed packages since dropped (http-proxy): then the last commit is the baseline.
  if (missingDependencies(before).length === 0) return before;
  process.stderr.write(`${before} cannot run with today's node_modules; comparing with HEAD instead\n`);
  return 'HEAD';
}

/** A tree holding bin/kubeless.js and dist/, compiled from `ref` (or the working tree). */
const build = (ref: string | undefined) => buildTree(ref, 'kubeless-bench-cli-');

interface Sample {
  wallMs: number;
  cpuMs?: number;
}

/** One run, timed from outside; async, so the platform in this process keeps answering. */
function timeOnce(argv: string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  const timed = existsSync(GNU_TIME);
  const cmd = timed ? GNU_TIME : argv[0]!;
  const args = timed ? ['-f', 'cpu %U %S', ...argv] : argv.slice(1);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`));
        return;
      }
      const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      resolve({ wallMs, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined });
    });
  });
}

/** The 1, 5 and 15 minute load averages, as uptime prints them: figures mean little without them. */
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) ? '-' : `${Math.round(ms)}`);

async function main(): Promise<void> {
  const baseline = flags.baseline ?? defaultBaseline();
  process.stderr.write(`compiling the working tree and ${baseline} ...\n`);
  const dirs = { new: build(undefined), old: build(baseline) };
  const dataDir = mkdtempSync(join(tmpdir(), 'kubeless-bench-cli-data-'));
  const platform = await startPlatform({ port: 0, dataDir, poolSize: 0, logger: pino({ level: 'silent' }) });
  try {
    const kubeconfig = join(dataDir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\ncurrent-context: l\nclusters: [{name: l, cluster: {server: "${platform.url}"}}]\n` +
        'users: [{name: l, user: {}}]\ncontexts: [{name: l, context: {cluster: l, user: l}}]\n',
    );
    const env = { PATH: process.env.PATH ?? '', HOME: dataDir, KUBECONFIG: kubeconfig };
    const fn = {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'Function',
      metadata: { name: 'hello' },
      spec: {
        runtime: 'nodejs22',
        handler: 'hello.handler',
        function: "module.exports.handler = () => 'hello';\n",
      },
    };
    await fetch(`${platform.url}/apis/kubeless.io/v1beta1/namespaces/default/functions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fn),
    });
    const bin = (dir: string) => [process.execPath, join(dir, 'bin/kubeless.js')];
    // The function must be Ready before timing starts (the first call would wait for its process).
    const fnUrl = `${platform.url}/apis/kubeless.io/v1beta1/namespaces/default/functions/hello`;
    for (let i = 0; ; i++) {
      const status = (
        (await (await fetch(fnUrl)).json()) as {
          status?: { conditions?: { type: string; status: string }[] };
        }
      ).status;
      if (status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) break;
      if (i > 360) throw new Error('the function did not become Ready within 3 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    const loadBefore = load();
    const commands = [['--help'], ['version'], ['function', 'call', 'hello']];
    const rows: string[][] = [];
    for (const args of commands) {
      const samples: Record<'new' | 'old', Sample[]> = { new: [], old: [] };
      const floor: Sample[] = [];
      await timeOnce([...bin(dirs.new), ...args], env); // warm the file cache for both
      await timeOnce([...bin(dirs.old), ...args], env);
      for (let i = 0; i < runs; i++) {
        samples.new.push(await timeOnce([...bin(dirs.new), ...args], env));
        samples.old.push(await timeOnce([...bin(dirs.old), ...args], env));
        floor.push(await timeOnce([process.execPath, '-e', '0'], env));
      }
      const stat = (s: Sample[], key: 'wallMs' | 'cpuMs') =>
        s.every((x) => x[key] !== undefined) ? median(s.map((x) => x[key]!)) : undefined;
      const newWall = stat(samples.new, 'wallMs')!;
      const oldWall = stat(samples.old, 'wallMs')!;
      const floorWall = stat(floor, 'wallMs')!;
      rows.push([
        `kubeless ${args.join(' ')}`,
        fmt(newWall),
        fmt(Math.min(...samples.new.map((s) => s.wallMs))),
        fmt(oldWall),
        (newWall / oldWall).toFixed(2),
        fmt(floorWall),
        (newWall / floorWall).toFixed(2),
        (oldWall / floorWall).toFixed(2),
        fmt(stat(samples.new, 'cpuMs')),
        fmt(stat(samples.old, 'cpuMs')),
        fmt(stat(floor, 'cpuMs')),
      ]);
    }
    const header = [
      'command',
      'new p50 ms',
      'new min ms',
      'old p50 ms',
      'new/old',
      'node -e 0 p50 ms',
      'new/node',
      'old/node',
      'new cpu ms',
      'old cpu ms',
      'node cpu ms',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd();
    process.stdout.write(
      `${runs} runs each, interleaved; old = ${baseline}; load average ${loadBefore} before, ${load()} after\n`,
    );
    process.stdout.write([line(header), ...rows.map(line)].join('\n') + '\n');
  } finally {
    await platform.close();
    for (const d of [dirs.new, dirs.old, dataDir]) rmSync(d, { recursive: true, force: true });
  }
}

await main();
