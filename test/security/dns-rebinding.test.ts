// Issue 18, item 2: the local API answered any Host, so a web page whose name resolves to
// 127.0.0.1 could send it same-origin requests, deploy code and run it. It now answers only
// localhost, 127.0.0.1, [::1] and the names given with --host-name; anything else gets a 403 Status
// that says how to allow it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FN_PATH, nodeFunction, startTestPlatform } from '../integration/local/helpers.js';
import { raw } from './helpers.js';

let local: Awaited<ReturnType<typeof startTestPlatform>>;
let base = '';
let port = 0;

beforeAll(async () => {
  local = await startTestPlatform({ poolSize: 0, hostNames: ['dev.box'] });
  base = local.base;
  port = local.platform.port;
});
afterAll(() => local?.close());

const LIST = `${FN_PATH}/default/functions`;

describe('Host', () => {
  it('refuses a rebound name on reads, writes and invokes, with a Status naming --host-name', async () => {
    for (const host of ['attacker.example', `attacker.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      const read = await raw(base, 'GET', LIST, { headers: { host } });
      expect(read.status).toBe(403);
      expect(read.json).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
      expect(read.json?.message).toMatch(/--host-name <name> \(or KUBELESS_HOST_NAME=<name>\)/);
      const write = await raw(base, 'POST', LIST, {
        headers: { host, 'content-type': 'application/json' },
        body: JSON.stringify(nodeFunction('rebound', 'module.exports.handler = () => 1;')),
      });
      expect(write.status).toBe(403);
    }
    const after = await raw(base, 'GET', LIST);
    expect(after.json?.items).toEqual([]);
  });

  it('answers localhost, 127.0.0.1 and [::1], with or without the port, and the configured name', async () => {
    for (const host of [
      'localhost',
      `localhost:${port}`,
      '127.0.0.1',
      `127.0.0.1:${port}`,
      '[::1]',
      `[::1]:${port}`,
      'dev.box',
      `dev.box:${port}`,
    ]) {
      const r = await raw(base, 'GET', LIST, { headers: { host } });
      expect(`${host} ${r.status}`).toBe(`${host} 200`);
    }
  });

  it('guards every path of the API port, health and discovery included', async () => {
    for (const p of [
      '/healthz',
      '/version',
      '/apis',
      '/openapi/v3',
      `/apis/subresources.kubeless.io/v1/namespaces/default/functions/x/invoke`,
    ]) {
      const r = await raw(base, 'GET', p, { headers: { host: 'attacker.example' } });
      expect(`${p} ${r.status}`).toBe(`${p} 403`);
    }
  });
});
