import { describe, expect, test } from '@jest/globals';
import jsonpatch from 'fast-json-patch';
import { defaultingPatch, mutate, needsClusterChecks, validate } from '../../../webhook/decide.js';
import type { KubeObject } from '../../../webhook/model.js';
import { parseReview, type AdmissionRequest } from '../../../webhook/review.js';
import { fnRequest, fixtureModel, review } from './fixture-model.js';

function req(over: Record<string, unknown> = {}, spec?: Record<string, unknown>): AdmissionRequest {
  const p = parseReview(review(fnRequest(over, spec)));
  if (!p.ok) throw new Error(p.message);
  return p.request;
}

const decodePatch = (b64: string): jsonpatch.Operation[] =>
  JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));

describe('mutate', () => {
  test('answers a JSON Patch that turns the object into its defaulted form', () => {
    const r = req();
    const res = mutate(r, fixtureModel);
    expect(res).toMatchObject({ uid: 'u-1', allowed: true, patchType: 'JSONPatch' });
    const patched = jsonpatch.applyPatch(structuredClone(r.object), decodePatch(res.patch!))
      .newDocument as KubeObject;
    expect(patched).toEqual(fixtureModel.defaults('Function', r.object!));
    expect((patched.spec as Record<string, unknown>).timeout).toBe('180');
  });

  test('sends no patch when the object already carries every default', () => {
    const res = mutate(
      req({}, { handler: 'h.f', timeout: '30', 'function-content-type': 'base64' }),
      fixtureModel,
    );
    expect(res).toEqual({ uid: 'u-1', allowed: true });
  });

  test('never touches what the user set', () => {
    const ops = defaultingPatch(
      { spec: { timeout: '5' } },
      fixtureModel.defaults('Function', { spec: { timeout: '5' } }),
    );
    expect(ops).toEqual([{ op: 'add', path: '/spec/function-content-type', value: 'text' }]);
  });

  test('passes deprecation warnings through', () => {
    expect(mutate(req({}, { handler: 'h.f', runtime: 'old' }), fixtureModel).warnings).toEqual([
      'runtime is old',
    ]);
  });

  test('lets other groups, unknown kinds and deletions through untouched', () => {
    expect(mutate(req({ kind: { group: 'apps', version: 'v1', kind: 'Function' } }), fixtureModel)).toEqual({
      uid: 'u-1',
      allowed: true,
    });
    expect(
      mutate(req({ kind: { group: 'kubeless.io', version: 'v1beta1', kind: 'Other' } }), fixtureModel).patch,
    ).toBeUndefined();
    expect(mutate(req({ operation: 'DELETE' }), fixtureModel)).toEqual({ uid: 'u-1', allowed: true });
  });
});

describe('validate', () => {
  test('denies with a 422 Status naming the field and the fix', () => {
    const res = validate(req({}, { runtime: 'nodejs22' }), fixtureModel);
    expect(res.allowed).toBe(false);
    expect(res.status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      details: { name: 'fn1', kind: 'Function', group: 'kubeless.io' },
    });
    expect(res.status?.message).toBe(
      'Function.kubeless.io "fn1" is invalid: spec.handler: Required value: handler is required (fix: set spec.handler to module.function)',
    );
    expect(res.status?.details?.causes).toEqual([
      {
        field: 'spec.handler',
        reason: 'FieldValueRequired',
        message: 'handler is required (fix: set spec.handler to module.function)',
      },
    ]);
  });

  test('adds errors found in the cluster to those of the model', () => {
    const extra = [
      { field: 'spec.path', type: 'FieldValueInvalid' as const, message: 'taken', fix: 'pick another' },
    ];
    const res = validate(req(), fixtureModel, extra);
    expect(res.allowed).toBe(false);
    expect(res.status?.details?.causes?.map((c) => c.field)).toEqual(['spec.path']);
  });

  test('admits a valid object, and anything being deleted however invalid', () => {
    expect(validate(req(), fixtureModel)).toEqual({ uid: 'u-1', allowed: true });
    const dying = { metadata: { name: 'fn1', deletionTimestamp: 'now' }, spec: {} };
    expect(validate(req({ operation: 'UPDATE', object: dying }), fixtureModel).allowed).toBe(true);
  });

  test('names generateName objects without inventing a name', () => {
    const r = req({ name: undefined, object: { metadata: { generateName: 'fn-' }, spec: {} } });
    expect(validate(r, fixtureModel).status?.message).toMatch(
      /^Function.kubeless.io "" is invalid: spec.handler/,
    );
  });
});

test('only triggers need cluster lookups', () => {
  expect(needsClusterChecks(req(), fixtureModel)).toBe(false);
  expect(
    needsClusterChecks(
      req({ kind: { group: 'kubeless.io', version: 'v1beta1', kind: 'HTTPTrigger' } }),
      fixtureModel,
    ),
  ).toBe(true);
});
