// The runtime's environment, built once for the controller's Deployment and the local process.
import { expect, test } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import { resolveFunction } from '../../../lib/function/resolve.js';
import { runtimeEnv } from '../../../lib/function/runtime-env.js';

const resolved = resolveFunction(
  {
    metadata: { name: 'helloget', namespace: 'team-a' },
    spec: { handler: 'helloget.foo', runtime: 'python3.11', timeout: '' },
  },
  DEFAULT_CATALOG,
);
if (!resolved.ok) throw new Error(resolved.problem.message);
const fn = resolved.value;
const where = { port: 8080, installVolume: '/kubeless' };

test('carries the handler split, the defaulted timeout, the runtime that runs it and who the function is', () => {
  expect(Object.fromEntries(runtimeEnv(fn, where).map((v) => [v.name, v.value]))).toEqual({
    FUNC_HANDLER: 'foo',
    MOD_NAME: 'helloget',
    FUNC_TIMEOUT: '180',
    FUNC_PORT: '8080',
    FUNC_RUNTIME: 'python3.11',
    FUNC_NAME: 'helloget',
    FUNC_NAMESPACE: 'team-a',
    POD_NAMESPACE: 'team-a',
    KUBELESS_INSTALL_VOLUME: '/kubeless',
  });
});

test('leaves the identity variables the user sets to the user, never the contract ones', () => {
  const names = runtimeEnv(fn, where, ['POD_NAMESPACE', 'FUNC_TIMEOUT', 'GREETING']).map((v) => v.name);
  expect(names).not.toContain('POD_NAMESPACE');
  expect(names).toContain('FUNC_NAME');
  expect(names).toContain('FUNC_TIMEOUT');
});
