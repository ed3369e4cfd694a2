// Builds what is missing and brings the real control plane up once for all e2e suites (or reuses
// the one `npm run cluster:up` started). jest loads this file outside the test module system
// (no .js→.ts mapping, no import.meta), so it uses node builtins only and jest's rootDir.
import type { Config } from '@jest/types';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function runScript(rootDir: string, name: string): void {
  const started = Date.now();
  // stderr goes through: the build's progress is the only sign of life for minutes.
  const r = spawnSync('bash', [join(rootDir, 'test/cluster', name)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    throw new Error(
      `test/cluster/${name} failed (exit ${r.status ?? r.signal}); its messages are above, ` +
        'the control plane logs are in .e2e/logs/',
    );
  }
  process.stderr.write(`[e2e] ${name} took ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
}

/** True when the control plane recorded in .e2e/cluster.json answers /readyz. */
function clusterReady(stateDir: string): boolean {
  const infoPath = join(stateDir, 'cluster.json');
  if (!existsSync(infoPath)) return false;
  const info = JSON.parse(readFileSync(infoPath, 'utf8')) as { path: string[]; kubeconfig: string };
  const r = spawnSync(
    join(info.path[0], 'kubectl'),
    ['--kubeconfig', info.kubeconfig, 'get', '--raw', '/readyz'],
    {
      stdio: 'ignore',
      timeout: 10_000,
    },
  );
  return r.status === 0;
}

export default async function globalSetup(
  _globalConfig: Config.GlobalConfig,
  projectConfig: Config.ProjectConfig,
): Promise<void> {
  const rootDir = projectConfig.rootDir;
  const stateDir = process.env.KUBELESS_E2E_DIR ?? join(rootDir, '.e2e');
  let started = false;
  if (clusterReady(stateDir)) {
    process.stderr.write('\n[e2e] reusing the running control plane (.e2e/cluster.json)\n');
  } else {
    process.stderr.write('\n');
    // A record without a live cluster is left from a killed run: clear it before starting anew.
    if (existsSync(join(stateDir, 'cluster.json'))) runScript(rootDir, 'down.sh');
    runScript(rootDir, 'build.sh');
    runScript(rootDir, 'up.sh');
    started = true;
  }
  // jest keeps globals set here for the global teardown, which runs in the same process.
  Object.assign(globalThis, { __kubelessE2E: { started, rootDir } });
}
