// Stops the control plane after the e2e suites, but only if the global setup started it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __kubelessE2E?: { started: boolean; rootDir: string } }).__kubelessE2E;
  if (!state?.started) return;
  const r = spawnSync('bash', [join(state.rootDir, 'test/cluster/down.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0)
    throw new Error(`test/cluster/down.sh failed (exit ${r.status ?? r.signal}); run npm run cluster:down`);
}
