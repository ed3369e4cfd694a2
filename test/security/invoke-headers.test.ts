// Issue 18, item 7 (Impersonate-Uid) and what held up (identity and credential headers never reach
// functions): one rule (lib/invoke/headers.ts) for the cluster's `kubeless api` and the
// local platform. Here through the real local platform and a real Node.js function that reports
// the headers it got; the cluster path over real TLS is test/integration/api/server.test.ts.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { isPrivateHeader } from '../../lib/invoke/headers.js';
import { startPlatform, type Platform } from '../../local/platform.js';
import {
  call,
  FN_PATH,
  nodeFunction,
  readyOf,
  SUB_PATH,
  tmpDataDir,
  waitFor,
} from '../integration/local/helpers.js';

jest.setTimeout(60_000);

/** Every header that carries who the caller is or what proves it. */
const PRIVATE: Record<string, string> = {
  Authorization: 'Bearer secret-token',
  Cookie: 'session=abc',
  'Proxy-Authorization': 'Basic cHJveHk6cHc=',
  'Impersonate-User': 'admin',
  'Impersonate-Group': 'system:masters',
  'Impersonate-Uid': '1234-5678',
  'Impersonate-Extra-Scopes': 'view',
  'X-Remote-User': 'admin',
  'X-Remote-Group': 'system:masters',
  'X-Remote-Extra-Scopes': 'all',
};

let dataDir = '';
let platform: Platform;

beforeAll(async () => {
  dataDir = tmpDataDir();
  platform = await startPlatform({ port: 0, dataDir, logger: pino({ level: 'silent' }), poolSize: 0 });
  const code = 'module.exports.handler = (event) => event.extensions.request.headers;';
  const created = await call(
    platform.url,
    'POST',
    `${FN_PATH}/default/functions`,
    nodeFunction('headers', code),
  );
  expect(created.status).toBe(201);
  await waitFor(platform.url, 'default', 'headers', (fn) => readyOf(fn)?.status === 'True', 120_000);
}, 180_000);

afterAll(async () => {
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('headers a function never sees', () => {
  it('none of the identity or credential headers reaches the function; the others do', async () => {
    const res = await call<Record<string, string>>(
      platform.url,
      'POST',
      `${SUB_PATH}/default/functions/headers/invoke`,
      { n: 1 },
      { ...PRIVATE, 'X-Custom': 'kept' },
    );
    expect(res.status).toBe(200);
    const seen = Object.keys(res.body).map((k) => k.toLowerCase());
    expect(seen.filter((k) => Object.keys(PRIVATE).some((p) => p.toLowerCase() === k))).toEqual([]);
    expect(res.body['x-custom']).toBe('kept');
  });

  it('any Impersonate-* header is private, including ones Kubernetes may add later', () => {
    for (const name of [
      'Impersonate-Uid',
      'impersonate-user',
      'Impersonate-Extra-Foo',
      'Impersonate-Anything',
    ]) {
      expect({ name, private: isPrivateHeader(name) }).toEqual({ name, private: true });
    }
    expect(isPrivateHeader('x-impersonate-note')).toBe(false);
  });
});
