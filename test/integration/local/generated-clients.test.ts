// Clients generated from the document the local platform serves (openapi-typescript and
// openapi-python-client, fetched from their registries at test time) POST JSON to a function's
// invoke and read its log (issue 20 item 9).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fetchServedDocument,
  runPythonClient,
  runTypeScriptClient,
  type Workspace,
} from '../../clients/generated.js';
import { call, FN_PATH, nodeFunction, readyOf, startTestPlatform, waitFor } from './helpers.js';

const ECHO = `module.exports.handler = (event) => {
  console.log('received ' + JSON.stringify(event.data));
  return { got: event.data, type: event.extensions.request.headers['content-type'] };
};`;

let local: Awaited<ReturnType<typeof startTestPlatform>>;
let ws: Workspace;

beforeAll(async () => {
  local = await startTestPlatform({ startWaitMs: 120_000 });
  const platform = local.platform;
  expect(
    (await call(platform.url, 'POST', `${FN_PATH}/clients/functions`, nodeFunction('echo', ECHO))).status,
  ).toBe(201);
  await waitFor(platform.url, 'clients', 'echo', (f) => readyOf(f)?.status === 'True', 120_000);
  ws = await fetchServedDocument(platform.url);
}, 180_000);
afterAll(async () => {
  ws?.close();
  await local.close();
});

describe('generated clients', () => {
  it('openapi-typescript + openapi-fetch: POST JSON to invoke, then read the log', async () => {
    const r = await runTypeScriptClient(ws, {
      baseUrl: local.platform.url,
      namespace: 'clients',
      name: 'echo',
      body: { from: 'typescript', n: 1 },
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.answer)).toEqual({ got: { from: 'typescript', n: 1 }, type: 'application/json' });
    expect(r.log).toContain('received {"from":"typescript","n":1}');
  }, 180_000);

  it('openapi-python-client: POST JSON to invoke, then read the log', async () => {
    const r = await runPythonClient(ws, {
      baseUrl: local.platform.url,
      namespace: 'clients',
      name: 'echo',
      body: { from: 'python', n: 2 },
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.answer)).toEqual({ got: { from: 'python', n: 2 }, type: 'application/json' });
    expect(r.log).toContain('received {"from":"python","n":2}');
  }, 600_000);
});
