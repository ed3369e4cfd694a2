// Time from the create request to the first successful invoke of a Node.js hello function
// without deps, on the local platform (in-process, real runtime processes, pool of 1).
// Run: node --import tsx bench/create-to-invoke.ts [runs]
import { rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startPlatform } from '../local/platform.js';
import { freePort, launch, PidFiles, runtimeCommand, stopGroup } from '../local/controller/launch.js';
import { writeFileSync } from 'node:fs';

const RUNS = Number(process.argv[2] ?? '20');
const GOAL_MS = 150;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The runtime alone: a pooled Node.js server from its config line to a healthy /healthz. */
async function runtimeOnly(dir: string): Promise<number> {
  writeFileSync(path.join(dir, 'hello.js'), "module.exports.handler = () => 'hello';");
  const pids = new PidFiles(path.join(dir, 'run'));
  const proc = launch(
    runtimeCommand('nodejs', 'server'),
    'runtime',
    { KUBELESS_WAIT_FOR_CONFIG: 'stdin' },
    dir,
    pids,
  );
  proc.child.stdout?.resume();
  proc.child.stderr?.resume();
  await new Promise((r) => setTimeout(r, 1500));
  const port = await freePort();
  const t0 = performance.now();
  const env = {
    MOD_NAME: 'hello',
    FUNC_HANDLER: 'handler',
    FUNC_PORT: String(port),
    KUBELESS_INSTALL_VOLUME: dir,
    KUBELESS_LISTEN_HOST: '127.0.0.1',
  };
  proc.child.stdin?.write(JSON.stringify({ env }) + '\n');
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      await res.text();
      if (res.ok) break;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const ms = performance.now() - t0;
  await stopGroup(proc, 500);
  return ms;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kl-bench-'));
  const runtimeDir = mkdtempSync(path.join(os.tmpdir(), 'kl-bench-rt-'));
  const platform = await startPlatform({ port: 0, dataDir, logger: pino({ level: 'silent' }), poolSize: 1 });
  const base = platform.url;
  const runtime: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 10); i += 1) runtime.push(await runtimeOnly(runtimeDir));
  const firstInvoke: number[] = [];
  const createOnly: number[] = [];
  try {
    // Give the pool time to pre-start between runs, as it would between user actions.
    await new Promise((r) => setTimeout(r, 1500));
    for (let i = 0; i < RUNS; i += 1) {
      const name = `hello${i}`;
      const body = {
        apiVersion: 'kubeless.io/v1beta1',
        kind: 'Function',
        metadata: { name },
        spec: {
          runtime: 'nodejs20',
          handler: `${name}.handler`,
          function: "module.exports.handler = () => 'hello';",
        },
      };
      const t0 = performance.now();
      const created = await fetch(`${base}/apis/kubeless.io/v1beta1/namespaces/bench/functions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await created.text();
      createOnly.push(performance.now() - t0);
      for (;;) {
        const res = await fetch(
          `${base}/apis/subresources.kubeless.io/v1/namespaces/bench/functions/${name}/invoke`,
        );
        const text = await res.text();
        if (res.status === 200 && text === 'hello') break;
      }
      firstInvoke.push(performance.now() - t0);
      await fetch(`${base}/apis/kubeless.io/v1beta1/namespaces/bench/functions/${name}`, {
        method: 'DELETE',
      });
      await new Promise((r) => setTimeout(r, 1500));
    }
  } finally {
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(runtimeDir, { recursive: true, force: true });
  }
  const rows = [
    ['create acknowledged (fsync)', [...createOnly].sort((a, b) => a - b)],
    ['create → first 200 invoke', [...firstInvoke].sort((a, b) => a - b)],
    ['runtime alone: config → healthy', [...runtime].sort((a, b) => a - b)],
  ] as const;
  console.log(
    `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores; runs: ${RUNS}, goal: median create → first invoke < ${GOAL_MS} ms`,
  );
  console.log('measure                         median ms   p90 ms   min ms   max ms');
  for (const [label, s] of rows) {
    console.log(
      `${label.padEnd(32)}${percentile(s, 50).toFixed(1).padStart(9)}${percentile(s, 90).toFixed(1).padStart(9)}${s[0]!.toFixed(1).padStart(9)}${s[s.length - 1]!.toFixed(1).padStart(9)}`,
    );
  }
}

void main();
