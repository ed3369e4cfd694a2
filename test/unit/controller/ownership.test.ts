import { describe, expect, test } from '@jest/globals';
import { conflictMessage, isOwnedBy, ownerKey, stamp, upToDate } from '../../../controller/ownership.js';
import { makeFunction, OWNER } from './fixtures.js';

describe('ownership', () => {
  const fn = makeFunction();
  test('owned only through a controller reference with the Function’s uid', () => {
    expect(isOwnedBy({ metadata: { ownerReferences: [OWNER] } }, fn)).toBe(true);
    expect(isOwnedBy({ metadata: { ownerReferences: [{ ...OWNER, uid: 'old-uid' }] } }, fn)).toBe(false);
    expect(isOwnedBy({ metadata: { ownerReferences: [{ ...OWNER, controller: false }] } }, fn)).toBe(false);
    expect(isOwnedBy({ metadata: { labels: { function: 'hello', 'created-by': 'kubeless' } } }, fn)).toBe(
      false,
    );
  });

  test('ownerKey maps an owned object to its Function’s key', () => {
    expect(ownerKey({ metadata: { namespace: 'ns', ownerReferences: [OWNER] } })).toBe('ns/hello');
    expect(ownerKey({ metadata: { namespace: 'ns' } })).toBeUndefined();
  });

  test('stamp + upToDate skip objects whose desired state has not changed', () => {
    const desired = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1' } };
    const stamped = stamp(desired);
    expect(upToDate(stamped, stamp(structuredClone(desired)))).toBe(true);
    expect(upToDate(stamped, stamp({ ...desired, data: { x: '2' } }))).toBe(false);
    expect(upToDate(undefined, stamped)).toBe(false);
  });

  test('the conflict message says what to do', () => {
    expect(conflictMessage('ConfigMap', 'ns', 'hello')).toMatch(
      /not created by this Function.*Delete or rename/,
    );
  });
});
