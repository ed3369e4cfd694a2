// Hello-world throughput, latency and memory of each runtime next to its bare server (for
// Node.js also a hello world whose handler uses event.extensions.request and .response).
// Run: npm run bench:runtimes [-- --rounds 3 --duration 8 --connections 16 --baseline DIR]
// Each round runs every pair back to back (order alternating) so that the ratio, measured under
// the same machine load, is what counts; absolute figures swing with whatever else runs.
// --baseline DIR adds other builds of the runtimes to the same rounds, before/after in one run:
// DIR/nodejs/server.js (a copy of dist/runtimes/nodejs taken before a change) and/or
// DIR/python/server.py (a copy of runtimes/python), whichever exists.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hasWrk, runWrk, type Started, startServer, treeMemory, type WrkResult } from './runtimes/measure.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '16' },
    baseline: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const connections = Number(values.connections);

interface Subject {
  name: string;
  cmd: string;
  args: string[];
  env: Record<string, string>;
}
interface Pair {
  label: string;
  bare: Subject;
  /** Each is measured against the same bare server in every round. */
  runtimes: Subject[];
  target: number;
}

/** The baseline build of one runtime, when --baseline names a folder that holds it. */
function baseline(file: string, cmd: string, env: Record<string, string>): Subject[] {
  if (values.baseline === undefined) return [];
  const entry = path.resolve(values.baseline, file);
  if (!existsSync(entry)) return [];
  const language = file.split('/')[0];
  return [{ name: `kubeless ${language} (baseline)`, cmd, args: [entry], env }];
}

const nodeFn = {
  KUBELESS_INSTALL_VOLUME: path.join(ROOT, 'examples/nodejs'),
  MOD_NAME: 'hello',
  FUNC_HANDLER: 'hello',
};
/** The same answer from a handler that reads the request and sets status and a header. */
const nodeExtFn = {
  KUBELESS_INSTALL_VOLUME: path.join(ROOT, 'bench/runtimes'),
  MOD_NAME: 'express-hello',
  FUNC_HANDLER: 'hello',
};
const pyFn = {
  KUBELESS_INSTALL_VOLUME: path.join(ROOT, 'examples/python'),
  MOD_NAME: 'hello',
  FUNC_HANDLER: 'handler',
};
const PAIRS: Pair[] = [
  {
    label: 'Node.js',
    bare: {
      name: 'bare node:http',
      cmd: process.execPath,
      args: [path.join(ROOT, 'bench/runtimes/bare-node.mjs')],
      env: {},
    },
    runtimes: [
      {
        name: 'kubeless nodejs',
        cmd: process.execPath,
        args: [path.join(ROOT, 'dist/runtimes/nodejs/server.js')],
        env: nodeFn,
      },
      ...baseline('nodejs/server.js', process.execPath, nodeFn),
      {
        name: 'kubeless nodejs, request/response used',
        cmd: process.execPath,
        args: [path.join(ROOT, 'dist/runtimes/nodejs/server.js')],
        env: nodeExtFn,
      },
      ...baseline('nodejs/server.js', process.execPath, nodeExtFn).map((s) => ({
        ...s,
        name: 'kubeless nodejs, request/response used (baseline)',
      })),
    ],
    target: 0.9,
  },
  {
    label: 'Python',
    bare: {
      name: 'bare threaded http.server',
      cmd: 'python3',
      args: [path.join(ROOT, 'bench/runtimes/bare_python.py')],
      env: {},
    },
    runtimes: [
      {
        name: 'kubeless python',
        cmd: 'python3',
        args: [path.join(ROOT, 'runtimes/python/server.py')],
        env: pyFn,
      },
      ...baseline('python/server.py', 'python3', pyFn),
    ],
    target: 0.5,
  },
];

const MiB = 1024 * 1024;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  if (!hasWrk()) {
    process.stderr.write(
      'wrk is not installed; this script installs nothing. Install it (apt-get install -y wrk) and rerun.\n',
    );
    process.exit(1);
  }
  const started = new Map<Subject, Started>();
  const idle = new Map<Subject, { rss: number; anon: number; pss: number }>();
  const results = new Map<Subject, WrkResult[]>();
  try {
    for (const pair of PAIRS) {
      for (const s of [pair.bare, ...pair.runtimes]) {
        started.set(s, await startServer(s.cmd, s.args, s.env));
        results.set(s, []);
      }
    }
    await new Promise((r) => setTimeout(r, 1500));
    for (const [s, st] of started) idle.set(s, treeMemory(st.proc.pid!));

    for (let round = 0; round < rounds; round++) {
      for (const pair of PAIRS) {
        const order =
          round % 2 === 0 ? [pair.bare, ...pair.runtimes] : [...pair.runtimes].reverse().concat(pair.bare);
        for (const s of order) {
          const st = started.get(s)!;
          const r = await runWrk(`http://127.0.0.1:${st.port}/`, duration, connections, st.proc.pid!);
          results.get(s)!.push(r);
          process.stderr.write(`round ${round + 1}/${rounds} ${s.name}: ${fmt(r.rps)} req/s\n`);
        }
      }
    }
  } finally {
    for (const st of started.values()) st.proc.kill('SIGTERM');
  }

  const lines: string[] = [];
  lines.push(
    `wrk -t1 -c${connections} -d${duration}s, GET hello world, ${rounds} interleaved rounds, medians (min-max)`,
  );
  lines.push('');
  lines.push(
    '| server | requests/s | p50 ms | p99 ms | ratio to bare (per round) | target | CPU µs/req | efficiency | RSS idle | private idle | PSS idle | RSS under load |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const pair of PAIRS) {
    const bare = results.get(pair.bare)!;
    for (const s of [pair.bare, ...pair.runtimes]) {
      const rs = results.get(s)!;
      const rps = rs.map((r) => r.rps);
      const isRt = s !== pair.bare;
      const ratios = rs.map((r, i) => r.rps / bare[i]!.rps);
      // Bare CPU per request over the runtime's: the throughput ratio the runtime would reach if
      // CPU were the only limit, which other load on a shared machine disturbs far less.
      const efficiency = median(rs.map((r, i) => bare[i]!.cpuUsPerRequest / r.cpuUsPerRequest));
      lines.push(
        `| ${s.name} | ${fmt(median(rps))} (${fmt(Math.min(...rps))}-${fmt(Math.max(...rps))}) | ` +
          `${fmt(median(rs.map((r) => r.p50Ms)), 2)} | ${fmt(median(rs.map((r) => r.p99Ms)), 2)} | ` +
          `${isRt ? `${fmt(median(ratios), 2)} (${ratios.map((x) => fmt(x, 2)).join(', ')})` : '1'} | ` +
          `${isRt ? `>= ${pair.target}` : ''} | ${fmt(median(rs.map((r) => r.cpuUsPerRequest)), 1)} | ` +
          `${isRt ? fmt(efficiency, 2) : '1'} | ${fmt(idle.get(s)!.rss / MiB, 1)} MiB | ${fmt(idle.get(s)!.anon / MiB, 1)} MiB | ${fmt(idle.get(s)!.pss / MiB, 1)} MiB | ` +
          `${fmt(Math.max(...rs.map((r) => r.peakRss)) / MiB, 1)} MiB |`,
      );
    }
  }
  lines.push('');
  lines.push('Memory is summed over the process tree (a runtime that forks counts every process);');
  lines.push('"private" = anonymous pages only: a pod pays that per process plus the binary once.');
  lines.push(
    '"efficiency" = bare CPU per request / runtime CPU per request (server processes only, not wrk).',
  );
  lines.push('The machine is shared: compare ratios, not absolutes.');
  process.stdout.write(lines.join('\n') + '\n');
}

void main();
