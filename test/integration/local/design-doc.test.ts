// The design document's Function (test/fixtures/design-doc/helloget.yaml), applied unchanged to
// the local platform with the real kubectl, answers "hello world" (issue 20 item 3).
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { startPlatform, type Platform } from '../../../local/platform.js';
import { call, readyOf, ROOT, SUB_PATH, tmpDataDir, waitFor } from './helpers.js';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const MANIFEST = path.join(ROOT, 'test/fixtures/design-doc/helloget.yaml');
const run = promisify(execFile);
const withKubectl = existsSync(KUBECTL) ? it : it.skip;

let platform: Platform;
let dataDir = '';
let home = '';

beforeAll(async () => {
  dataDir = tmpDataDir();
  home = mkdtempSync(path.join(os.tmpdir(), 'kl-design-doc-'));
  platform = await startPlatform({
    port: 0,
    dataDir,
    logger: pino({ level: 'silent' }),
    startWaitMs: 120_000,
  });
});
afterAll(async () => {
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

withKubectl(
  'applies unchanged with a warning naming the runtime, keeps python27, and answers hello world',
  async () => {
    const { stdout, stderr } = await run(
      KUBECTL,
      ['--server', platform.url, '--cache-dir', path.join(home, 'cache'), 'apply', '-f', MANIFEST],
      { env: { ...process.env, HOME: home, KUBECONFIG: path.join(home, 'none') }, timeout: 60_000 },
    );
    expect(stdout).toMatch(/function\.kubeless\.io\/helloget created/);
    expect(stderr).toMatch(/Warning: spec\.runtime "python27" is no longer shipped; python3\.11/);
    const ready = await waitFor(
      platform.url,
      'default',
      'helloget',
      (f) => readyOf(f)?.status === 'True',
      120_000,
    );
    expect(ready.spec).toMatchObject({ runtime: 'python27', type: 'HTTP', topic: '', deps: '' });
    expect(ready.status).toMatchObject({ runtime: 'python3.11' });
    const res = await call(platform.url, 'GET', `${SUB_PATH}/default/functions/helloget/invoke`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('hello world');
  },
  180_000,
);
