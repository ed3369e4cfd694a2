// The contract suite (test/contract/) against the local platform: `kubeless local` as its own
// process, as `npm start` runs it, with every default but the port (0, so it runs beside other
// suites) and a fresh data dir. The same cases run on the real node in test/e2e/real-node-contract.test.ts.
import { afterAll, beforeAll, describe, jest } from '@jest/globals';
import { rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { apiDriver, type PlatformDriver } from '../../contract/driver.js';
import { contractSuite } from '../../contract/suite.js';
import { startCli, stopCli, tmpDataDir } from './helpers.js';

jest.setTimeout(90_000);

let child: ChildProcess | undefined;
let driver: PlatformDriver | undefined;
const dataDir = tmpDataDir();

beforeAll(async () => {
  const cli = await startCli(dataDir);
  child = cli.child;
  driver = apiDriver('local', { base: cli.base }, 'contract', false);
}, 90_000);

afterAll(async () => {
  if (child) await stopCli(child);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the Function contract on the local platform', () => {
  contractSuite(
    () => {
      if (!driver) throw new Error('kubeless local did not start');
      return driver;
    },
    { readyTimeoutMs: 120_000, intervalMs: 200 },
  );
});
