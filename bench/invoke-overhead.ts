// What the local platform's invoke costs over calling the runtime's port directly, for Node.js and
// Python, in one run with interleaved rounds (a burst of load from elsewhere hits both paths alike):
//   throughput: wrk -t1 -c16 (POST of a small JSON body), platform / direct
//   one connection: wrk -t1 -c1, p50 per call, platform - direct
// plus the CPU time the platform process itself spends per call (steadier than req/s on a shared
// machine). The platform is `kubeless local` in its own process, as a user runs it.
//   npx tsx bench/invoke-overhead.ts [-- --seconds 8 --rounds 3 --connections 16 --latency-seconds 5]
//     [--runtime Node.js|Python] [--cpu-prof DIR]
// --cpu-prof DIR writes the platform process's V8 CPU profile there (open it in Chrome DevTools),
// to see where the invoke path spends its time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hasWrk, parseWrk } from './runtimes/measure.js';
// CPU of the platform process alone (its children, the runtimes, are the function's time).
import { cpuSeconds as processCpuSeconds } from './kafka/functions.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  // `npm run bench:invoke-overhead -- --rounds 5` passes a leading `--` through.
  args: process.argv.slice(2).filter((a, i) => i > 0 || a !== '--'),
  options: {
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    'latency-seconds': { type: 'string', default: '5' },
    runtime: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const LATENCY_SECONDS = Number(values['latency-seconds']);
const NS = 'default';
const BODY = '{"hello":"world","n":42}';
const CPU_PROF = values['cpu-prof'] === undefined ? undefined : path.resolve(values['cpu-prof']);

const ALL_FUNCTIONS = [
  {
    label: 'Node.js',
    name: 'hello-node',
    runtime: 'nodejs20',
    handler: 'hello.hello',
    code: "module.exports = { hello: () => 'hello world' };\n",
  },
  {
    label: 'Python',
    name: 'hello-python',
    runtime: 'python3.11',
    handler: 'hello.hello',
    code: "def hello(event, context):\n    return 'hello world'\n",
  },
];
const FUNCTIONS = ALL_FUNCTIONS.filter((f) => values.runtime === undefined || f.label === values.runtime);

interface Run {
  rps: number;
  p50Ms: number;
  /** CPU the platform process spent per call, microseconds (0 for the direct path). */
  platformCpuUs: number;
}

function wrkScript(dir: string): string {
  const file = path.join(dir, 'post.lua');
  writeFileSync(
    file,
    [
      'wrk.method = "POST"',
      `wrk.body = '${BODY}'`,
      'wrk.headers["Content-Type"] = "application/json"',
      '',
    ].join('\n'),
  );
  return file;
}

function wrk(
  url: string,
  connections: number,
  seconds: number,
  script: string,
  platformPid: number,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const cpuBefore = processCpuSeconds(platformPid);
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      const cpu = processCpuSeconds(platformPid) - cpuBefore;
      if (code !== 0) return reject(new Error(`wrk exited with ${code}:\n${out}`));
      // A fast error is no call: a bench that counts them would flatter a broken path.
      const bad = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(out);
      if (bad) return reject(new Error(`wrk saw failed calls on ${url}:\n${out}`));
      const r = parseWrk(out);
      const calls = r.rps * seconds;
      resolve({ rps: r.rps, p50Ms: r.p50Ms, platformCpuUs: calls > 0 ? (cpu / calls) * 1e6 : 0 });
    });
  });
}

async function api(base: string, method: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status}: ${text}`);
  return text.startsWith('{') ? JSON.parse(text) : text;
}

async function startLocal(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      ...(CPU_PROF === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', CPU_PROF]),
      path.join(ROOT, 'bin/kubeless.js'),
      'local',
      '--port',
      '0',
      '--gateway-port',
      '0',
      '--data-dir',
      dataDir,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, KUBELESS_KAFKA_BROKERS: undefined, KUBELESS_PORT: undefined },
    },
  );
  let seen = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(seen);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`kubeless local exited with ${code}:\n${seen}`)));
  });
  child.stdout!.resume();
  return { child, url };
}

/** Ready, and the port its runtime listens on (from the runtime's own "function listening" line). */
async function readyPort(base: string, name: string): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const fn = (await api(base, 'GET', `/apis/kubeless.io/v1beta1/namespaces/${NS}/functions/${name}`)) as {
      status?: { conditions?: { type: string; status: string }[] };
    };
    const ready = fn.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (ready) {
      const log = String(
        await api(base, 'GET', `/apis/subresources.kubeless.io/v1/namespaces/${NS}/functions/${name}/log`),
      );
      const lines = [
        ...log.matchAll(/"function listening".*?"port": ?(\d+)|"port": ?(\d+).*?"function listening"/g),
      ];
      const last = lines.at(-1);
      if (last) return Number(last[1] ?? last[2]);
    }
    if (Date.now() > deadline) throw new Error(`function ${name} did not become Ready with a port in 120 s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

async function main(): Promise<void> {
  if (!hasWrk()) throw new Error('wrk is not installed; apt-get install wrk');
  if (FUNCTIONS.length === 0)
    throw new Error(`--runtime is one of ${ALL_FUNCTIONS.map((f) => f.label).join(', ')}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeless-invoke-overhead-'));
  const script = wrkScript(dir);
  const { child, url } = await startLocal(path.join(dir, 'data'));
  try {
    for (const f of FUNCTIONS) {
      await api(url, 'POST', `/apis/kubeless.io/v1beta1/namespaces/${NS}/functions`, {
        apiVersion: 'kubeless.io/v1beta1',
        kind: 'Function',
        metadata: { name: f.name, namespace: NS },
        spec: { runtime: f.runtime, handler: f.handler, function: f.code, deps: '' },
      });
    }
    const targets = [];
    for (const f of FUNCTIONS) {
      const port = await readyPort(url, f.name);
      targets.push({
        ...f,
        direct: `http://127.0.0.1:${port}/`,
        platform: `${url}/apis/subresources.kubeless.io/v1/namespaces/${NS}/functions/${f.name}/invoke`,
      });
    }
    const pid = child.pid!;
    const runs = new Map<string, { tput: Run[]; one: Run[] }>();
    const key = (label: string, p: string): string => `${label} ${p}`;
    // Warm-up: connections, JIT, the runtimes' first calls.
    for (const t of targets)
      for (const u of [t.direct, t.platform]) await wrk(u, CONNECTIONS, 2, script, pid);
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const t of targets) {
        for (const [p, u] of [
          ['direct', t.direct],
          ['platform', t.platform],
        ] as const) {
          const entry = runs.get(key(t.label, p)) ?? { tput: [], one: [] };
          runs.set(key(t.label, p), entry);
          entry.tput.push(await wrk(u, CONNECTIONS, SECONDS, script, pid));
          entry.one.push(await wrk(u, 1, LATENCY_SECONDS, script, pid));
        }
      }
    }
    console.log(
      `\nlocal invoke vs the runtime's port: ${ROUNDS} interleaved rounds, POST ${BODY.length} B JSON, ` +
        `wrk -t1 -c${CONNECTIONS} -d${SECONDS}s and -c1 -d${LATENCY_SECONDS}s, load average ${loadavg()
          .map((n) => n.toFixed(1))
          .join(' ')}`,
    );
    console.log(
      [
        'runtime'.padEnd(8),
        'path'.padEnd(9),
        'req/s'.padStart(8),
        'p50 1 conn'.padStart(11),
        'platform CPU/call'.padStart(18),
      ].join('  '),
    );
    const summary: string[] = [];
    for (const t of targets) {
      const d = runs.get(key(t.label, 'direct'))!;
      const p = runs.get(key(t.label, 'platform'))!;
      for (const [name, e] of [
        ['direct', d],
        ['platform', p],
      ] as const) {
        console.log(
          [
            t.label.padEnd(8),
            name.padEnd(9),
            median(e.tput.map((x) => x.rps))
              .toFixed(0)
              .padStart(8),
            `${median(e.one.map((x) => x.p50Ms)).toFixed(3)} ms`.padStart(11),
            (name === 'direct'
              ? '-'
              : `${median(e.tput.map((x) => x.platformCpuUs)).toFixed(0)} µs`
            ).padStart(18),
          ].join('  '),
        );
      }
      // Ratios per round (each pair ran back to back), then their median.
      const ratio = median(d.tput.map((x, i) => p.tput[i]!.rps / x.rps));
      const extra = median(d.one.map((x, i) => p.one[i]!.p50Ms - x.p50Ms));
      summary.push(
        `${t.label}: throughput ${ratio.toFixed(2)}x direct (target >= 0.5x), ` +
          `one connection p50 ${extra >= 0 ? '+' : ''}${extra.toFixed(3)} ms (target <= +0.2 ms)`,
      );
    }
    console.log(`\n${summary.join('\n')}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
