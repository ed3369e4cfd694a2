import { describe, expect, test } from '@jest/globals';
import { isBeingDeleted, parseReview, reviewOut } from '../../../webhook/review.js';
import { fnRequest, review } from './fixture-model.js';

describe('parseReview', () => {
  test('accepts a v1 AdmissionReview and keeps what the decisions need', () => {
    const parsed = parseReview(review(fnRequest({ dryRun: true })));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.request).toMatchObject({ uid: 'u-1', operation: 'CREATE', namespace: 'ns1', dryRun: true });
    expect(parsed.request.kind).toEqual({ group: 'kubeless.io', version: 'v1beta1', kind: 'Function' });
  });

  test.each([
    ['a string', 'hello', /JSON object/],
    ['null', null, /JSON object/],
    ['an array', [1], /JSON object/],
    [
      'a v1beta1 review',
      { ...review(fnRequest()), apiVersion: 'admission.k8s.io/v1beta1' },
      /admissionReviewVersions/,
    ],
    ['no request', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, /request is missing/],
    ['an empty uid', review(fnRequest({ uid: '' })), /uid/],
    ['a numeric uid', review(fnRequest({ uid: 7 })), /uid/],
    ['an unknown operation', review(fnRequest({ operation: 'PATCH' })), /operation/],
    [
      'a kind without group',
      review(fnRequest({ kind: { version: 'v1', kind: 'Function' } })),
      /request.kind/,
    ],
    ['CREATE without object', review(fnRequest({ object: undefined })), /object is required/],
    ['an array object', review(fnRequest({ object: [] })), /object must be an object/],
    ['a string dryRun', review(fnRequest({ dryRun: 'yes' })), /dryRun/],
    ['a numeric namespace', review(fnRequest({ namespace: 3 })), /namespace/],
  ])('rejects %s with a reason', (_label, body, reason) => {
    const parsed = parseReview(body);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toMatch(reason);
  });

  test('keeps the uid of a malformed request so the reply can still be matched', () => {
    const parsed = parseReview(review(fnRequest({ operation: 'NOPE', uid: 'abc' })));
    expect(parsed).toMatchObject({ ok: false, uid: 'abc' });
  });

  test('DELETE needs no object', () => {
    expect(parseReview(review(fnRequest({ operation: 'DELETE', object: null }))).ok).toBe(true);
  });
});

describe('isBeingDeleted', () => {
  const parse = (over: Record<string, unknown>) => {
    const p = parseReview(review(fnRequest(over)));
    if (!p.ok) throw new Error(p.message);
    return p.request;
  };
  test('DELETE and objects with a deletionTimestamp are on their way out', () => {
    expect(isBeingDeleted(parse({ operation: 'DELETE' }))).toBe(true);
    const dying = { metadata: { name: 'fn1', deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: {} };
    expect(isBeingDeleted(parse({ operation: 'UPDATE', object: dying }))).toBe(true);
    expect(isBeingDeleted(parse({}))).toBe(false);
  });
});

test('reviewOut wraps a response as an AdmissionReview v1', () => {
  expect(reviewOut({ uid: 'x', allowed: true })).toEqual({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'x', allowed: true },
  });
});
