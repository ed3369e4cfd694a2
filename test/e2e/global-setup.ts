// Builds what is missing and brings the real control plane up once for all e2e suites, or joins
// the one already running (from `npm run cluster:up` or another person's test run): see
// test/cluster/session.sh. jest loads this file outside the test module system (no .js→.ts
// mapping, no import.meta), so it uses node builtins only and jest's rootDir.
import type { Config } from '@jest/types';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default async function globalSetup(
  _globalConfig: Config.GlobalConfig,
  projectConfig: Config.ProjectConfig,
): Promise<void> {
  const started = Date.now();
  const script = join(projectConfig.rootDir, 'test/cluster/session.sh');
  process.stderr.write('\n');
  // stderr goes through: the first build's progress is the only sign of life for minutes.
  const r = spawnSync('bash', [script, 'acquire', String(process.pid)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new Error(
      `test/cluster/session.sh acquire failed (exit ${r.status ?? r.signal}); its messages are above, ` +
        'the control plane logs are in .e2e/logs/',
    );
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`[e2e] control plane ${r.stdout.trim()} in ${seconds}s\n`);
  // jest keeps globals set here for the global teardown, which runs in the same process.
  Object.assign(globalThis, { __kubelessE2E: { script } });
}
