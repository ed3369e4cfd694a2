import { describe, expect, it } from '@jest/globals';
import { applyFlags, checkName, newFunction, parseKeyValues } from '../../../cli/function/build.js';
import { checkLocally } from '../../../cli/function/check.js';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import { encodeFile } from '../../../cli/function/source.js';
import type { FunctionObject } from '../../../cli/kube/types.js';

const source = {
  content: 'module.exports = { hi: () => "hi" }',
  contentType: 'text',
  checksum: 'sha256:abc',
};

describe('newFunction', () => {
  it('maps the original Kubeless flags onto the Function fields', () => {
    const fn = newFunction({
      name: 'hello',
      namespace: 'team',
      runtime: 'nodejs20',
      handler: 'hello.hi',
      source,
      deps: '{"dependencies":{}}',
      env: ['GREETING=hi', 'EMPTY='],
      labels: ['app=demo'],
      timeout: '30',
      memory: '128Mi',
      cpu: '250m',
    });
    expect(fn).toEqual({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'Function',
      metadata: {
        name: 'hello',
        namespace: 'team',
        labels: { 'created-by': 'kubeless', function: 'hello', app: 'demo' },
      },
      spec: {
        runtime: 'nodejs20',
        handler: 'hello.hi',
        function: source.content,
        'function-content-type': 'text',
        checksum: 'sha256:abc',
        deps: '{"dependencies":{}}',
        timeout: '30',
        deployment: {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    env: [
                      { name: 'GREETING', value: 'hi' },
                      { name: 'EMPTY', value: '' },
                    ],
                    resources: {
                      limits: { memory: '128Mi', cpu: '250m' },
                      requests: { memory: '128Mi', cpu: '250m' },
                    },
                  },
                ],
              },
            },
          },
        },
      },
    });
  });

  it('leaves out the deployment when no env or resources are given', () => {
    const fn = newFunction({
      name: 'a',
      namespace: 'default',
      runtime: 'python3.11',
      handler: 'a.b',
      source,
    });
    expect(fn.spec.deployment).toBeUndefined();
    expect(fn.spec.deps).toBe('');
  });

  it('names every missing required flag in one message', () => {
    expect(() => newFunction({ name: 'a', namespace: 'default' })).toThrow(
      'cannot deploy "a": missing --from-file <file or URL>, --handler <module>.<function>, --runtime',
    );
  });

  it('refuses a handler without a module part', () => {
    expect(() =>
      newFunction({ name: 'a', namespace: 'd', runtime: 'nodejs20', handler: 'hello', source }),
    ).toThrow(/invalid --handler "hello": write <module>.<function>/);
  });

  it('refuses bad timeout and quantities before sending anything', () => {
    const base = { name: 'a', namespace: 'd', runtime: 'nodejs20', handler: 'a.b', source };
    expect(() => newFunction({ ...base, timeout: '1.5s' })).toThrow(
      /--timeout "1.5s" must be whole seconds, e.g. 2s/,
    );
    expect(() => newFunction({ ...base, timeout: '1 minute' })).toThrow(
      /--timeout "1 minute" is not a duration/,
    );
    expect(() => newFunction({ ...base, timeout: '0' })).toThrow(
      /--timeout "0" is too short; give at least 1s/,
    );
    expect(() => newFunction({ ...base, memory: '128 MB' })).toThrow(/--memory "128 MB".*128Mi/);
    expect(() => newFunction({ ...base, cpu: 'lots' })).toThrow(/--cpu "lots"/);
    expect(() => newFunction({ ...base, env: ['=x'] })).toThrow(/--env "=x": it has no key/);
    expect(() => newFunction({ ...base, env: ['1BAD=x'] })).toThrow(/--env name "1BAD"/);
    expect(() => newFunction({ ...base, labels: ['a b'] })).toThrow(/--label key "a b": the name part/);
    expect(() => newFunction({ ...base, labels: ['a=b c'] })).toThrow(/--label value "b c" \(of "a"\)/);
  });
});

describe('applyFlags (update)', () => {
  const existing: FunctionObject = {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: {
      name: 'hello',
      namespace: 'default',
      resourceVersion: '7',
      labels: { app: 'demo', tier: 'x' },
    },
    spec: {
      runtime: 'nodejs20',
      handler: 'hello.hi',
      function: 'old',
      checksum: 'sha256:old',
      deps: 'left alone',
      deployment: {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  env: [
                    { name: 'KEEP', value: '1' },
                    { name: 'CHANGE', value: 'old' },
                    { name: 'DROP', value: 'x' },
                  ],
                  resources: { limits: { memory: '64Mi' } },
                  image: 'custom',
                },
              ],
              serviceAccountName: 'sa',
            },
          },
        },
      },
    },
  };

  it('changes only what was passed and keeps the rest, resourceVersion included', () => {
    const next = applyFlags(existing, {
      name: 'hello',
      namespace: 'default',
      env: ['CHANGE=new', 'DROP-', 'ADD=1'],
      labels: ['tier-', 'env=prod'],
      cpu: '100m',
    });
    expect(next.metadata).toEqual({
      name: 'hello',
      namespace: 'default',
      resourceVersion: '7',
      labels: { app: 'demo', env: 'prod' },
    });
    const podSpec = next.spec.deployment?.spec?.template?.spec;
    expect(podSpec?.serviceAccountName).toBe('sa');
    expect(podSpec?.containers?.[0]).toEqual({
      env: [
        { name: 'KEEP', value: '1' },
        { name: 'CHANGE', value: 'new' },
        { name: 'ADD', value: '1' },
      ],
      resources: { limits: { memory: '64Mi', cpu: '100m' }, requests: { cpu: '100m' } },
      image: 'custom',
    });
    expect(next.spec.function).toBe('old');
    expect(next.spec.deps).toBe('left alone');
  });

  it('replaces code, content type and checksum together', () => {
    const next = applyFlags(existing, {
      name: 'hello',
      namespace: 'default',
      source: { content: 'new', contentType: 'base64', checksum: 'sha256:new' },
    });
    expect([next.spec.function, next.spec['function-content-type'], next.spec.checksum]).toEqual([
      'new',
      'base64',
      'sha256:new',
    ]);
  });

  it('does not mutate the object it was given', () => {
    const snapshot = JSON.stringify(existing);
    applyFlags(existing, {
      name: 'hello',
      namespace: 'default',
      env: ['KEEP-'],
      memory: '1Gi',
      labels: ['a=b'],
    });
    expect(JSON.stringify(existing)).toBe(snapshot);
  });
});

describe('names and key/values', () => {
  it('accepts DNS labels and explains what a valid name is', () => {
    expect(() => checkName('hello-world-2')).not.toThrow();
    expect(() => checkName('Hello')).toThrow(/invalid function name "Hello": use at most 63 lower-case/);
    expect(() => checkName('2fast')).toThrow(/starting with a letter/);
    expect(() => checkName('a'.repeat(64))).toThrow(/at most 63/);
  });
  it('keeps "=" inside values', () => {
    expect(parseKeyValues(['URL=a=b'], '--env')).toEqual({ set: { URL: 'a=b' }, remove: [] });
  });
  it("reads the original CLI's comma lists, ':' separators and bare keys", () => {
    expect(parseKeyValues(['foo:bar,bar=foo,foobar'], '--label')).toEqual({
      set: { foo: 'bar', bar: 'foo', foobar: '' },
      remove: [],
    });
    expect(parseKeyValues(['URL=http://x:80/a', 'B:c=d'], '--env')).toEqual({
      set: { URL: 'http://x:80/a', B: 'c=d' },
      remove: [],
    });
    expect(parseKeyValues(['"MSG=a,b",X=1,OLD-'], '--env')).toEqual({
      set: { MSG: 'a,b', X: '1' },
      remove: ['OLD'],
    });
  });
});

describe('checkLocally (--dryrun)', () => {
  const real = encodeFile('a.js', Buffer.from('module.exports = { b: () => 1 };\n'));
  const base = { name: 'a', namespace: 'd', runtime: 'nodejs20', handler: 'a.b', source: real };
  // Before nodejs20's end of life, so no warning is due.
  const BEFORE_EOL = new Date('2026-01-01');
  it('accepts what the shared model accepts', () => {
    expect(checkLocally(newFunction(base), DEFAULT_CATALOG, BEFORE_EOL)).toEqual({
      errors: [],
      warnings: [],
    });
  });
  it('reports shared-model errors, e.g. a reserved env variable or deps that are not JSON', () => {
    const { errors } = checkLocally(newFunction({ ...base, env: ['FUNC_PORT=1'], deps: 'not json' }));
    expect(errors.join('\n')).toMatch(/FUNC_PORT/);
    expect(errors.join('\n')).toMatch(/spec\.deps/);
  });
  it('only warns about a runtime the shipped catalog lacks: the cluster may have it', () => {
    const { errors, warnings } = checkLocally(newFunction({ ...base, runtime: 'nodejs99' }));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(/^spec\.runtime: Unsupported value: .*the cluster's catalog may differ$/),
    ]);
  });
});

describe('checkLocally (--dryrun) with an original runtime id', () => {
  it('accepts it and warns, naming the runtime that will run it', () => {
    const source = encodeFile('a.py', Buffer.from('def b():\n    return "hello world"\n'));
    const fn = newFunction({ name: 'a', namespace: 'd', runtime: 'python27', handler: 'a.b', source });
    const { errors, warnings } = checkLocally(fn, DEFAULT_CATALOG, new Date('2026-01-01'));
    expect(errors).toEqual([]);
    expect(warnings.join()).toMatch(/"python27" is no longer shipped; python3\.11/);
  });
});
