// Issue 18, item 3: a text/plain or form POST from another origin to a function's invoke was
// passed through (the function ran and logged the body). The API port now refuses requests
// whose Origin is not its own, and browsers' cross-site requests without one (Sec-Fetch-Site),
// with a 403 Status. Programs (curl, kubectl, the CLI) send neither and still invoke with any
// content type; object writes still take only JSON.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  deployReady,
  FN_PATH,
  nodeFunction,
  startTestPlatform,
  SUB_PATH,
} from '../integration/local/helpers.js';
import { raw } from './helpers.js';

let local: Awaited<ReturnType<typeof startTestPlatform>>;
let base = '';

const ECHO = `module.exports.handler = (event) => { console.log('BODY ' + JSON.stringify(event.data)); return 'got ' + JSON.stringify(event.data); };`;
const INVOKE = `${SUB_PATH}/default/functions/echo/invoke`;

beforeAll(async () => {
  local = await startTestPlatform({ poolSize: 0, startWaitMs: 60_000 });
  base = local.base;
  await deployReady(base, nodeFunction('echo', ECHO));
}, 180_000);
afterAll(() => local?.close());

async function functionLog(): Promise<string> {
  return (await raw(base, 'GET', `${SUB_PATH}/default/functions/echo/logs`)).text;
}

describe('cross-site requests', () => {
  it('refuses a text/plain and a form POST from another origin before the function runs', async () => {
    const cases: Array<Record<string, string>> = [
      { origin: 'https://attacker.example', 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
      { origin: 'https://attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
      { origin: 'null', 'content-type': 'text/plain' },
      // Another local web app is another origin too.
      { origin: 'http://localhost:3000', 'content-type': 'text/plain', 'sec-fetch-site': 'same-site' },
      // A browser that sends no Origin still says where the request comes from.
      { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' },
    ];
    for (const headers of cases) {
      const r = await raw(base, 'POST', INVOKE, { headers, body: 'stolen=1' });
      expect(`${JSON.stringify(headers)} ${r.status} ${String(r.json?.reason)}`).toBe(
        `${JSON.stringify(headers)} 403 Forbidden`,
      );
      expect(r.json?.message).toMatch(/^cross-site request refused/);
    }
    const img = await raw(base, 'GET', `${INVOKE}?stolen=1`, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(img.status).toBe(403);
    expect(await functionLog()).not.toContain('stolen');
  });

  it('refuses object writes and preflights from another origin', async () => {
    const create = await raw(base, 'POST', `${FN_PATH}/default/functions`, {
      headers: { origin: 'https://attacker.example', 'content-type': 'application/json' },
      body: JSON.stringify(nodeFunction('evil', 'module.exports.handler = () => 1;')),
    });
    expect(create.status).toBe(403);
    const preflight = await raw(base, 'OPTIONS', INVOKE, {
      headers: { origin: 'https://attacker.example', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).toBe(403);
    expect((await raw(base, 'GET', `${FN_PATH}/default/functions/evil`)).status).toBe(404);
  });

  it('lets programs and the API origin itself invoke with any content type', async () => {
    const programs: Array<Record<string, string>> = [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { origin: base, 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain' },
      { origin: base.replace('127.0.0.1', 'localhost'), 'content-type': 'text/plain' },
    ];
    for (const headers of programs) {
      const r = await raw(base, 'POST', INVOKE, { headers, body: 'hello' });
      expect(`${JSON.stringify(headers)} ${r.status} ${r.text}`).toBe(
        `${JSON.stringify(headers)} 200 got "hello"`,
      );
    }
  });
});

describe('non-JSON object writes (already refused; kept so)', () => {
  it('refuses a text/plain or form body as a Function, and stores nothing', async () => {
    const fn = JSON.stringify(nodeFunction('plain', 'module.exports.handler = () => 1;'));
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const r = await raw(base, 'POST', `${FN_PATH}/default/functions`, {
        headers: { 'content-type': type },
        body: fn,
      });
      expect(`${type} ${r.status} ${String(r.json?.kind)}`).toBe(`${type} 400 Status`);
    }
    expect((await raw(base, 'GET', `${FN_PATH}/default/functions/plain`)).status).toBe(404);
  });
});
