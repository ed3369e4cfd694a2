// The webhook wired to the real shared model: the patch a user's Function gets, end to end in memory.
import { expect, test } from '@jest/globals';
import jsonpatch from 'fast-json-patch';
import { mutate, validate } from '../../../webhook/decide.js';
import { parseReview } from '../../../webhook/review.js';
import { sharedModel } from '../../../webhook/shared-model.js';
import { fnRequest, review } from './fixture-model.js';

const model = sharedModel(undefined, () => new Date('2026-11-23'));
const spec = {
  runtime: 'nodejs22',
  handler: 'hello.handler',
  function: "module.exports.handler = () => 'hi';\n",
  deps: '',
};

function req(s: Record<string, unknown>) {
  const p = parseReview(review(fnRequest({}, s)));
  if (!p.ok) throw new Error(p.message);
  return p.request;
}

test('a minimal Function is patched to its stored defaults', () => {
  const r = req(spec);
  const res = mutate(r, model);
  const ops = JSON.parse(Buffer.from(res.patch!, 'base64').toString()) as jsonpatch.Operation[];
  const out = jsonpatch.applyPatch(structuredClone(r.object), ops).newDocument as {
    metadata: { labels: Record<string, string> };
    spec: Record<string, string>;
  };
  expect(out.spec.timeout).toBe('180');
  expect(out.spec['function-content-type']).toBe('text');
  expect(out.spec.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(out.metadata.labels).toEqual({ function: 'fn1', 'created-by': 'kubeless' });
  expect(validate(r, model).allowed).toBe(true);
});

test('an unquoted timeout is quoted with a warning instead of failing the schema', () => {
  const r = req({ ...spec, timeout: 60 });
  const res = mutate(r, model);
  expect(res.warnings?.[0]).toContain('timeout: "60"');
  const ops = JSON.parse(Buffer.from(res.patch!, 'base64').toString()) as jsonpatch.Operation[];
  expect(ops).toContainEqual({ op: 'replace', path: '/spec/timeout', value: '60' });
});

test('a runtime past end of life is admitted with a warning naming the successor', () => {
  const res = validate(req({ ...spec, runtime: 'nodejs20' }), model);
  expect(res.allowed).toBe(true);
  expect(res.warnings?.join()).toMatch(/nodejs20.*nodejs22/);
});

test('an unknown runtime is denied with the field and the fix from the shared rules', () => {
  const res = validate(req({ ...spec, runtime: 'cobol85' }), model);
  expect(res.allowed).toBe(false);
  expect(res.status?.message).toContain('spec.runtime');
  expect(res.status?.message).toContain('fix:');
  expect(res.status?.code).toBe(422);
});

test('kubectl apply of new code keeps the old defaulted checksum: the update is admitted with a fresh one', () => {
  const stored = req(spec);
  const old = jsonpatch.applyPatch(
    structuredClone(stored.object),
    JSON.parse(Buffer.from(mutate(stored, model).patch!, 'base64').toString()) as jsonpatch.Operation[],
  ).newDocument as { spec: Record<string, string> };
  const newCode = "module.exports.handler = () => 'bye';\n";
  // What the three-way merge sends: the new code beside the checksum carried over from the live object.
  const update = { ...req({ ...old.spec, function: newCode }), operation: 'UPDATE' as const, oldObject: old };
  expect(validate(update, model).allowed).toBe(true);
  const ops = JSON.parse(
    Buffer.from(mutate(update, model).patch!, 'base64').toString(),
  ) as jsonpatch.Operation[];
  const checksum = ops.find((o) => o.path === '/spec/checksum') as { value?: string } | undefined;
  expect(checksum?.value).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(checksum?.value).not.toBe(old.spec.checksum);
});

test('a checksum the user changed along with the code is still checked', () => {
  const old = { spec: { ...spec, checksum: 'sha256:' + 'a'.repeat(64) } };
  const update = {
    ...req({ ...spec, function: 'changed', checksum: 'sha256:' + 'b'.repeat(64) }),
    operation: 'UPDATE' as const,
    oldObject: old,
  };
  const res = validate(update, model);
  expect(res.allowed).toBe(false);
  expect(res.status?.message).toContain('spec.checksum');
});

test('an original runtime id is admitted unchanged, with a warning naming what runs it', () => {
  const r = req({
    ...spec,
    runtime: 'python27',
    handler: 'helloget.foo',
    function: 'def foo():\n    return "hello world"\n',
  });
  const res = mutate(r, model);
  const ops = JSON.parse(Buffer.from(res.patch!, 'base64').toString()) as jsonpatch.Operation[];
  expect(ops.filter((o) => o.path === '/spec/runtime')).toEqual([]);
  expect(res.warnings?.join()).toMatch(/"python27" is no longer shipped; python3\.11/);
  const checked = validate(r, model);
  expect(checked.allowed).toBe(true);
  expect(checked.warnings?.join()).toMatch(/python3\.11/);
});

test('the mutating webhook already denies a bad handler, naming the value (a CEL rule, which runs next, cannot)', () => {
  const res = mutate(req({ ...spec, handler: 'hello' }), model);
  expect(res.allowed).toBe(false);
  expect(res.patch).toBeUndefined();
  expect(res.status).toMatchObject({ code: 422, reason: 'Invalid' });
  expect(res.status?.message).toMatch(/spec\.handler: Invalid value: "hello" is not <module>\.<function>/);
});
