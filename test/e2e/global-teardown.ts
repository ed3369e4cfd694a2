// Leaves the shared control plane: the last test run out stops it, if a test run started it.
import { spawnSync } from 'node:child_process';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __kubelessE2E?: { script: string } }).__kubelessE2E;
  if (!state) return;
  const r = spawnSync('bash', [state.script, 'release', String(process.pid)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    throw new Error(
      `test/cluster/session.sh release failed (exit ${r.status ?? r.signal}); run npm run cluster:down`,
    );
  }
}
