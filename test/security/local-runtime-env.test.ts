// Issue 18, item 7 (local part): runtime processes inherited the platform's whole environment,
// so a function read the user's cloud credentials and tokens. A runtime now gets PATH, HOME,
// locale and time zone, the runtime contract and the Function's own env, nothing else: pooled
// and freshly started processes alike, Node.js and Python alike.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deployReady, startTestPlatform, SUB_PATH } from '../integration/local/helpers.js';
import { raw } from './helpers.js';

const SECRET = 'KUBELESS_SECURITY_CANARY_TOKEN';
let local: Awaited<ReturnType<typeof startTestPlatform>>;
let base = '';

function fn(name: string, runtime: string, handler: string, code: string): Record<string, unknown> {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name },
    spec: {
      runtime,
      handler,
      function: code,
      deployment: {
        spec: { template: { spec: { containers: [{ env: [{ name: 'GREETING', value: 'hi' }] }] } } },
      },
    },
  };
}

const NODE = 'module.exports.env = () => JSON.stringify(process.env);';
const PYTHON = 'import json, os\ndef env(event, context):\n    return json.dumps(dict(os.environ))\n';

beforeAll(async () => {
  process.env[SECRET] = 's3cret';
  process.env.AWS_SECRET_ACCESS_KEY = 'also-secret';
  // A pool of one: the first Function of each language gets a pooled process, the second a new one.
  local = await startTestPlatform({ poolSize: 1, startWaitMs: 120_000 });
  base = local.base;
  await Promise.all(
    [
      fn('node-a', 'nodejs20', 'node-a.env', NODE),
      fn('node-b', 'nodejs20', 'node-b.env', NODE),
      fn('py-a', 'python3.11', 'py-a.env', PYTHON),
    ].map((f) => deployReady(base, f)),
  );
}, 240_000);

afterAll(async () => {
  delete process.env[SECRET];
  delete process.env.AWS_SECRET_ACCESS_KEY;
  await local?.close();
});

describe("a local function's environment", () => {
  it.each(['node-a', 'node-b', 'py-a'])(
    '%s sees the contract and its own env, not the platform secrets',
    async (name) => {
      const r = await raw(base, 'POST', `${SUB_PATH}/default/functions/${name}/invoke`, { body: '' });
      expect(r.status).toBe(200);
      const env = JSON.parse(r.text) as Record<string, string>;
      expect(env[SECRET]).toBeUndefined();
      expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
      expect(env.GREETING).toBe('hi');
      expect(env.FUNC_HANDLER).toBe('env');
      expect(env.FUNC_NAMESPACE).toBe('default');
      // pyenv's python3 shim puts its own folders first; the platform's PATH is passed on.
      expect(env.PATH).toContain(process.env.PATH);
    },
  );
});
