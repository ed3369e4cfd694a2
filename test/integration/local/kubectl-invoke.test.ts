// kubectl habits against the local platform's invoke subresource: `kubectl create --raw` sends a
// JSON file without a content type, and a timeout must reach kubectl as a Status with its reason,
// while a function's own error answer passes through untouched.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Platform } from '../../../local/platform.js';
import {
  call,
  FN_PATH,
  KUBECTL,
  kubectlAgainst,
  nodeFunction,
  readyOf,
  startTestPlatform,
  SUB_PATH,
  waitFor,
} from './helpers.js';

const withKubectl = existsSync(KUBECTL) ? it : it.skip;

let local: Awaited<ReturnType<typeof startTestPlatform>>;
let platform: Platform;
let home = '';
const ns = 'habits';

const ECHO = `module.exports.handler = (event) => ({
  type: Buffer.isBuffer(event.data) ? 'bytes' : typeof event.data,
  x: event.data && event.data.x,
  contentType: event.extensions.request.headers['content-type'] || null,
});`;
const SLOW =
  'module.exports.handler = () => new Promise((resolve) => setTimeout(() => resolve("late"), 5000));';
const OWN_408 = `module.exports.handler = (event) => {
  event.extensions.response.statusCode = 408;
  return 'my own 408';
};`;

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'kl-kubectl-invoke-'));
  local = await startTestPlatform({ startWaitMs: 120_000 });
  platform = local.platform;
  for (const [name, code, extra] of [
    ['echo', ECHO, {}],
    ['slow', SLOW, { timeout: '1' }],
    ['own', OWN_408, {}],
  ] as const) {
    const created = await call(
      platform.url,
      'POST',
      `${FN_PATH}/${ns}/functions`,
      nodeFunction(name, code, extra),
    );
    expect(created.status).toBe(201);
  }
  for (const name of ['echo', 'slow', 'own'])
    await waitFor(platform.url, ns, name, (f) => readyOf(f)?.status === 'True', 120_000);
}, 180_000);
afterAll(async () => {
  await local.close();
  rmSync(home, { recursive: true, force: true });
});

const kubectl = (...args: string[]) => kubectlAgainst(platform.url, home, args);

describe('invoke without a content type', () => {
  withKubectl('kubectl create --raw -f body.json delivers the JSON document as JSON', async () => {
    const body = path.join(home, 'body.json');
    writeFileSync(body, '{"x": 42}');
    const res = await kubectl('create', '--raw', `${SUB_PATH}/${ns}/functions/echo/invoke`, '-f', body);
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual({ type: 'object', x: 42, contentType: 'application/json' });
  });

  it('delivers a body that is not JSON as bytes, still without a content type', async () => {
    const res = await fetch(`${platform.url}${SUB_PATH}/${ns}/functions/echo/invoke`, {
      method: 'POST',
      body: new Uint8Array(Buffer.from('not json')),
    });
    expect(await res.json()).toEqual({ type: 'bytes', contentType: null });
  });

  it('leaves a content type the caller sent alone', async () => {
    const res = await call(platform.url, 'POST', `${SUB_PATH}/${ns}/functions/echo/invoke`, '{"x": 1}', {
      'content-type': 'text/plain',
    });
    expect(res.body).toEqual({ type: 'string', contentType: 'text/plain' });
  });
});

describe('errors the platform makes, and the function’s own', () => {
  withKubectl('a timeout reaches kubectl as a Status with its reason and message', async () => {
    const res = await kubectl('get', '--raw', `${SUB_PATH}/${ns}/functions/slow/invoke`);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(
      /Error from server \(Timeout\): function habits\/slow: the function did not answer within its timeout of 1s/,
    );
  });

  it('is a Status for every client, code kept', async () => {
    const res = await call(platform.url, 'GET', `${SUB_PATH}/${ns}/functions/slow/invoke`);
    expect(res.status).toBe(408);
    expect(res.body).toMatchObject({ kind: 'Status', code: 408, reason: 'Timeout' });
  });

  it('passes a function’s own 408 through untouched', async () => {
    const res = await call(platform.url, 'GET', `${SUB_PATH}/${ns}/functions/own/invoke`);
    expect(res.status).toBe(408);
    expect(res.text).toBe('my own 408');
  });
});
