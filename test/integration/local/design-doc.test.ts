// The design document's Function (test/fixtures/design-doc/helloget.yaml), applied unchanged to
// the local platform with the real kubectl, answers "hello world" (issue 20 item 3).
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  call,
  KUBECTL,
  kubectlAgainst,
  readyOf,
  ROOT,
  startTestPlatform,
  SUB_PATH,
  waitFor,
} from './helpers.js';

const MANIFEST = path.join(ROOT, 'test/fixtures/design-doc/helloget.yaml');
const withKubectl = existsSync(KUBECTL) ? it : it.skip;

let local: Awaited<ReturnType<typeof startTestPlatform>>;
let home = '';

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'kl-design-doc-'));
  local = await startTestPlatform({ startWaitMs: 120_000 });
});
afterAll(async () => {
  await local.close();
  rmSync(home, { recursive: true, force: true });
});

withKubectl(
  'applies unchanged with a warning naming the runtime, keeps python27, and answers hello world',
  async () => {
    const platform = local.platform;
    const { stdout, stderr } = await kubectlAgainst(platform.url, home, ['apply', '-f', MANIFEST]);
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
