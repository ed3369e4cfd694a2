import { describe, expect, test } from '@jest/globals';
import { desiredConfigMap } from '../../../controller/desired/configmap.js';
import { makeFunction, NODE, OWNER, PYTHON } from './fixtures.js';
import { resolveWith } from '../../helpers/resolve-with.js';

describe('desiredConfigMap', () => {
  test('text code under <module><suffix>, handler, labels and owner reference', () => {
    expect(desiredConfigMap(resolveWith(makeFunction(), NODE))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'hello',
        namespace: 'team-a',
        labels: { app: 'greeter', function: 'hello', 'created-by': 'kubeless' },
        ownerReferences: [OWNER],
      },
      data: {
        handler: 'handler.hello',
        'handler.js': 'module.exports = { hello: () => "hi" };',
        'code-file': 'handler.js',
        'function-content-type': 'text',
      },
    });
  });

  test('a zip with deps: archive name, the runtime deps file and the checksum', () => {
    const fn = makeFunction({
      runtime: 'python3.11',
      handler: 'main.run',
      function: 'UEsDBAo=',
      'function-content-type': 'base64+zip',
      deps: 'requests==2.32.3\n',
      checksum: 'sha256:abc',
    });
    expect(desiredConfigMap(resolveWith(fn, PYTHON)).data).toEqual({
      handler: 'main.run',
      'main.zip': 'UEsDBAo=',
      'code-file': 'main.zip',
      'function-content-type': 'base64+zip',
      'requirements.txt': 'requests==2.32.3\n',
      checksum: 'sha256:abc',
    });
  });

  test('a URL source keeps the URL for the prepare step to fetch', () => {
    const fn = makeFunction({
      function: 'https://example.test/f.tgz',
      'function-content-type': 'url+compressedtar',
    });
    expect(desiredConfigMap(resolveWith(fn, NODE)).data).toMatchObject({
      'handler.tar.gz': 'https://example.test/f.tgz',
      'code-file': 'handler.tar.gz',
      'function-content-type': 'url+compressedtar',
    });
  });

  test('identity labels win over the Function’s own labels', () => {
    const fn = makeFunction();
    fn.metadata.labels = { function: 'other', 'created-by': 'me' };
    expect(desiredConfigMap(resolveWith(fn, NODE)).metadata?.labels).toEqual({
      function: 'hello',
      'created-by': 'kubeless',
    });
  });

  test('a Function without a uid is refused with a reason', () => {
    const fn = makeFunction();
    delete fn.metadata.uid;
    expect(() => desiredConfigMap(resolveWith(fn, NODE))).toThrow(/has no uid/);
  });
});
