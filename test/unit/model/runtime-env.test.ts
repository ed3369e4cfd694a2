// The runtime's environment, built once for the controller's Deployment and the local process.
import { expect, test } from '@jest/globals';
import { DEFAULT_CATALOG, findRuntime } from '../../../lib/catalog.js';
import { runtimeEnv } from '../../../lib/function/runtime-env.js';

const python = findRuntime(DEFAULT_CATALOG, 'python3.11')!;
const target = {
  name: 'helloget',
  namespace: 'team-a',
  spec: { handler: 'helloget.foo', timeout: '' },
  runtime: python,
  port: 8080,
  installVolume: '/kubeless',
};

test('carries the handler split, the defaulted timeout, the runtime that runs it and who the function is', () => {
  expect(Object.fromEntries(runtimeEnv(target).map((v) => [v.name, v.value]))).toEqual({
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
  const names = runtimeEnv(target, ['POD_NAMESPACE', 'FUNC_TIMEOUT', 'GREETING']).map((v) => v.name);
  expect(names).not.toContain('POD_NAMESPACE');
  expect(names).toContain('FUNC_NAME');
  expect(names).toContain('FUNC_TIMEOUT');
});
