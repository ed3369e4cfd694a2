// Builds and starts the test control plane for jest's global setup, and stops it afterwards.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { clusterInfoPath, clusterScripts } from './cluster.js';
import { kubectl } from './kubectl.js';

function script(name: string): void {
  const started = Date.now();
  // stdio to stderr: jest shows it, and the build's progress is the only sign of life for minutes.
  const r = spawnSync('bash', [join(clusterScripts, name)], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    throw new Error(
      `test/cluster/${name} failed (exit ${r.status ?? r.signal}); its messages are above. ` +
        'Logs of the control plane are in .e2e/logs/.',
    );
  }
  process.stderr.write(`[e2e] ${name} took ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
}

/** True when a control plane recorded in .e2e/cluster.json answers /readyz. */
export async function clusterReady(): Promise<boolean> {
  if (!existsSync(clusterInfoPath)) return false;
  const r = await kubectl(['get', '--raw', '/readyz'], { timeoutMs: 10_000 }).catch(() => undefined);
  return r?.code === 0;
}

/** Brings a control plane up unless one is running; returns whether this call started it. */
export async function ensureCluster(): Promise<boolean> {
  if (await clusterReady()) {
    process.stderr.write('\n[e2e] reusing the running control plane (.e2e/cluster.json)\n');
    return false;
  }
  // A record without a live cluster is left over from a run that was killed: clear it first.
  if (existsSync(clusterInfoPath)) script('down.sh');
  process.stderr.write('\n');
  script('build.sh');
  script('up.sh');
  return true;
}

export function stopCluster(): void {
  script('down.sh');
}
