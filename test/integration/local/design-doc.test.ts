// The design document's Function (test/fixtures/design-doc/helloget.yaml), applied unchanged to
// the local platform with the real kubectl, answers "hello world" (issue 20 item 3). Where kubectl
// is not installed the manifest goes in as kubectl would send it (its JSON), so the case still runs.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  call,
  FN_PATH,
  KUBECTL,
  kubectlAgainst,
  readyOf,
  ROOT,
  startTestPlatform,
  SUB_PATH,
  waitFor,
} from './helpers.js';

const MANIFEST = path.join(ROOT, 'test/fixtures/design-doc/helloget.yaml');

/** `kubectl apply -f helloget.yaml`: what it printed, or the same facts from the API's answer. */
async function apply(base: string): Promise<{ stdout: string; stderr: string }> {
  if (existsSync(KUBECTL)) return kubectlAgainst(base, home, ['apply', '-f', MANIFEST]);
  const manifest = parse(readFileSync(MANIFEST, 'utf8')) as Record<string, unknown>;
  const res = await call(base, 'POST', `${FN_PATH}/default/functions`, manifest);
  expect(res.status).toBe(201);
  // Warning headers (fetch joins several with ", "): 299 - "<JSON string>", as kubectl reads them.
  const warnings = [...(res.headers.get('warning') ?? '').matchAll(/299 - ("(?:[^"\\]|\\.)*")/g)];
  return {
    stdout: 'function.kubeless.io/helloget created',
    stderr: warnings.map((m) => `Warning: ${JSON.parse(m[1] ?? '""') as string}\n`).join(''),
  };
}

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

it('applies unchanged with a warning naming the runtime, keeps python27, and answers hello world', async () => {
  const platform = local.platform;
  const { stdout, stderr } = await apply(platform.url);
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
}, 180_000);
