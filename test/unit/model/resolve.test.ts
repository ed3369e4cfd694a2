// A Function resolved once into the value both platforms run it from.
import { describe, expect, test } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import { resolveFunction, type FunctionLike, type ResolvedFunction } from '../../../lib/function/resolve.js';
import { isProgressReason } from '../../../lib/function/reasons.js';

type Spec = FunctionLike['spec'];

function fn(spec: Partial<Spec> = {}, metadata: Record<string, unknown> = {}): FunctionLike {
  return {
    metadata: { name: 'hello', namespace: 'team-a', ...metadata },
    spec: { handler: 'handler.hello', runtime: 'nodejs22', function: 'module.exports = {}', ...spec },
  };
}

function resolved(f: FunctionLike): ResolvedFunction {
  const r = resolveFunction(f, DEFAULT_CATALOG);
  if (!r.ok) throw new Error(r.problem.message);
  return r.value;
}

describe('resolveFunction', () => {
  test('fills every default: 180 s timeout as a number, the invoke deadline, content type, ports', () => {
    const r = resolved(fn());
    expect(r.name).toBe('hello');
    expect(r.namespace).toBe('team-a');
    expect(r.timeoutSeconds).toBe(180);
    expect(r.invokeDeadlineMs).toBe(185_000);
    expect(r.contentTypeText).toBe('text');
    expect(r.ports).toEqual({ name: 'http-function-port', servicePort: 8080, runtimePort: 8080 });
    expect(r.runtime.id).toBe('nodejs22');
    expect(r.runtimeAlias).toBeUndefined();
  });

  test('reads the timeout as written, trimmed; a value no validation would pass falls back to the default', () => {
    expect(resolved(fn({ timeout: ' 30 ' })).timeoutSeconds).toBe(30);
    expect(resolved(fn({ timeout: '30' })).invokeDeadlineMs).toBe(35_000);
    expect(resolved(fn({ timeout: '0' })).timeoutSeconds).toBe(180);
    expect(resolved(fn({ timeout: 'soon' })).timeoutSeconds).toBe(180);
  });

  test('splits the handler on its last dot', () => {
    expect(resolved(fn({ handler: 'my.mod.run' })).handler).toEqual({
      module: 'my.mod',
      functionName: 'run',
    });
  });

  test('detects the content type of code stored without one, and keeps a declared one', () => {
    expect(resolved(fn({ function: 'https://example.com/f.zip' })).contentTypeText).toBe('url+zip');
    expect(resolved(fn({ 'function-content-type': 'base64+zip+deps' })).contentType).toEqual({
      encoding: 'base64',
      archive: 'zip',
      deps: true,
    });
  });

  test('follows a runtime alias of the catalog and says which id was written', () => {
    const r = resolved(fn({ runtime: 'nodejs6' }));
    expect(r.runtimeAlias).toBe('nodejs6');
    expect(r.runtime.id).not.toBe('nodejs6');
  });

  test('an unknown runtime is RuntimeNotFound, with the ids to use and where the catalog lives', () => {
    const r = resolveFunction(fn({ runtime: 'cobol85' }), DEFAULT_CATALOG, {
      catalogSource: 'ConfigMap kubeless/runtimes',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.reason).toBe('RuntimeNotFound');
    expect(r.problem.message).toMatch(
      /^runtime "cobol85" is not in the runtime catalog \(ConfigMap kubeless\/runtimes\); set spec.runtime to one of: .*nodejs22/,
    );
    expect(isProgressReason(r.problem.reason)).toBe(false);
  });

  test.each([
    [{ handler: 'hello' }, /must be "<module>.<function>"/],
    [{ 'function-content-type': 'gzip' }, /^spec.function-content-type: unknown content type "gzip"/],
  ])('%p is InvalidSpec with a message that says the fix', (spec, message) => {
    const r = resolveFunction(fn(spec), DEFAULT_CATALOG);
    expect(r.ok ? undefined : r.problem).toEqual({
      reason: 'InvalidSpec',
      message: expect.stringMatching(message),
    });
  });
});

describe('the rollout hash', () => {
  const base = resolved(fn()).rolloutHash;

  test.each<[string, Partial<Spec>]>([
    ['the code', { function: 'module.exports = { x: 1 }' }],
    ['the handler', { handler: 'handler.other' }],
    ['the timeout', { timeout: '30' }],
    ['the deps', { deps: '{"dependencies":{}}' }],
    ['the checksum', { checksum: 'sha256:00' }],
    ['the runtime', { runtime: 'python3.12', function: 'module.exports = {}' }],
    ['the port', { service: { ports: [{ name: 'http-function-port', port: 8081, targetPort: 8081 }] } }],
    [
      'the env',
      {
        deployment: {
          spec: { template: { spec: { containers: [{ name: 'hello', env: [{ name: 'A', value: '1' }] }] } } },
        },
      },
    ],
  ])('changes with %s', (_what, spec) => {
    expect(resolved(fn(spec)).rolloutHash).not.toBe(base);
  });

  test('does not change with what does not reach the running function', () => {
    expect(resolved(fn({}, { labels: { team: 'x' }, generation: 7 })).rolloutHash).toBe(base);
    // The default written out is the default left out.
    expect(resolved(fn({ timeout: '180', 'function-content-type': 'text' })).rolloutHash).toBe(base);
  });
});
