import { describe, expect, test } from '@jest/globals';
import { desiredConfigMap } from '../../../controller/desired/configmap.js';
import { runtimeFromEnv, specFromSource } from '../../../controller/prepare-source.js';
import { makeFunction, NODE, PYTHON } from './fixtures.js';
import { resolveWith } from '../../helpers/resolve-with.js';

describe('the prepare step reads back what desiredConfigMap wrote', () => {
  test('text code with deps', () => {
    const fn = makeFunction({ deps: '{"dependencies":{}}' });
    const spec = specFromSource(desiredConfigMap(resolveWith(fn, NODE)).data!, NODE);
    expect(spec).toEqual({
      handler: 'handler.hello',
      runtime: 'nodejs20',
      function: fn.spec.function,
      'function-content-type': 'text',
      deps: '{"dependencies":{}}',
    });
  });

  test('a zip with a checksum', () => {
    const fn = makeFunction({
      runtime: 'python3.11',
      handler: 'main.run',
      function: 'UEsDBAo=',
      'function-content-type': 'base64+zip',
      checksum: 'sha256:abc',
    });
    expect(specFromSource(desiredConfigMap(resolveWith(fn, PYTHON)).data!, PYTHON)).toEqual({
      handler: 'main.run',
      runtime: 'python3.11',
      function: 'UEsDBAo=',
      'function-content-type': 'base64+zip',
      checksum: 'sha256:abc',
    });
  });

  test('a directory that is not the controller’s ConfigMap is refused with the fix', () => {
    expect(() => specFromSource({ 'hello.js': 'x' }, NODE)).toThrow(/mount the Function's ConfigMap/);
    expect(() => specFromSource({ handler: 'a.b', 'code-file': 'a.js' }, NODE)).toThrow(/has no "a.js"/);
  });

  test('the runtime entry comes from KUBELESS_RUNTIME and is checked', () => {
    expect(runtimeFromEnv(JSON.stringify(NODE))).toEqual(NODE);
    expect(() => runtimeFromEnv(undefined)).toThrow(/KUBELESS_RUNTIME is not set/);
    expect(() => runtimeFromEnv('{"id":"x"}')).toThrow(/runtime catalog/);
  });
});
