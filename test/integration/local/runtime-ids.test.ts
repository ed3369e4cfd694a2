// Manifests with the original Kubeless runtime ids (nodejs8, python27 ...) against the local
// platform with real runtime processes: stored as written, warned about, run by the nearest
// shipped runtime, which status.runtime names; Python 2-only code fails with its own error.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, FN_PATH, readyOf, startTestPlatform, SUB_PATH, waitFor } from './helpers.js';

let local: Awaited<ReturnType<typeof startTestPlatform>>;
let base = '';
const ns = 'legacy';

beforeAll(async () => {
  local = await startTestPlatform({ poolSize: 1, startWaitMs: 180_000 });
  base = local.platform.url;
});
afterAll(() => local.close());

function manifest(name: string, runtime: string, handler: string, code: string): Record<string, unknown> {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name },
    spec: { runtime, handler, function: code, deps: '' },
  };
}

describe('original runtime ids', () => {
  it('nodejs8 is stored as written, warned about, and run by nodejs20, which status.runtime says', async () => {
    const code = 'module.exports = { hello: (event) => "hi " + event.data.who };\n';
    const created = await call(
      base,
      'POST',
      `${FN_PATH}/${ns}/functions`,
      manifest('old-node', 'nodejs8', 'handler.hello', code),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('warning')).toMatch(
      /^299 - "spec\.runtime \\"nodejs8\\" is no longer shipped; nodejs20/,
    );
    const ready = await waitFor(base, ns, 'old-node', (f) => readyOf(f)?.status === 'True');
    expect(ready.spec).toMatchObject({ runtime: 'nodejs8' });
    expect(ready.status).toMatchObject({ runtime: 'nodejs20' });
    const res = await call(base, 'POST', `${SUB_PATH}/${ns}/functions/old-node/invoke`, { who: 'there' });
    expect(res.text).toBe('hi there');
  });

  it('python2.7 code that only Python 2 understands fails to load with its own error', async () => {
    const code = 'def hello(event, context):\n    print "hello"\n    return "never"\n';
    const created = await call(
      base,
      'POST',
      `${FN_PATH}/${ns}/functions`,
      manifest('py2-only', 'python2.7', 'handler.hello', code),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('warning')).toMatch(/python3\.11/);
    const failed = await waitFor(base, ns, 'py2-only', (f) => readyOf(f)?.reason === 'LoadError');
    expect(readyOf(failed)?.message).toMatch(/SyntaxError/);
    expect(failed.status).toMatchObject({ runtime: 'python3.11' });
  });

  it('an id no catalog ever had is refused with the ids to use', async () => {
    const res = await call(
      base,
      'POST',
      `${FN_PATH}/${ns}/functions`,
      manifest('ruby', 'ruby2.4', 'handler.hello', 'x'),
    );
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/spec\.runtime.*nodejs20, nodejs22, python3\.11, python3\.12/);
  });
});
