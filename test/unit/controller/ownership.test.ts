import { describe, expect, test } from '@jest/globals';
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  conflictMessage,
  isLeftoverOfNamesake,
  isOwnedBy,
  ownerKey,
  stamp,
  upToDate,
} from '../../../controller/ownership.js';
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

  test('an object of a deleted Function of the same name is a leftover, not a conflict', () => {
    // Recreated right after a delete: the garbage collector has not removed the old objects yet.
    expect(isLeftoverOfNamesake({ metadata: { ownerReferences: [{ ...OWNER, uid: 'old-uid' }] } }, fn)).toBe(
      true,
    );
    expect(isLeftoverOfNamesake({ metadata: { ownerReferences: [OWNER] } }, fn)).toBe(false);
    expect(
      isLeftoverOfNamesake({ metadata: { ownerReferences: [{ ...OWNER, uid: 'x', name: 'other' }] } }, fn),
    ).toBe(false);
    expect(
      isLeftoverOfNamesake(
        { metadata: { ownerReferences: [{ ...OWNER, uid: 'x', kind: 'HTTPTrigger' }] } },
        fn,
      ),
    ).toBe(false);
    expect(isLeftoverOfNamesake({ metadata: { labels: { function: 'hello' } } }, fn)).toBe(false);
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

describe('trimInPlace', () => {
  test('keeps what the reconciler reads and drops the rest', async () => {
    const { trimInPlace } = await import('../../../controller/trim.js');
    const metadata = {
      name: 'hello',
      annotations: { 'kubeless.io/applied-hash': 'h' },
      ownerReferences: [OWNER],
      managedFields: [{ manager: 'x' }],
    };
    const dep = trimInPlace(
      {
        metadata: structuredClone(metadata),
        spec: {
          replicas: 2,
          selector: {},
          template: { metadata: { annotations: { a: 'b' } }, spec: { containers: [] } },
        },
        status: { availableReplicas: 1 },
      } as KubernetesObject,
      'Deployment',
    );
    expect(dep).toEqual({
      metadata: { name: 'hello', annotations: { 'kubeless.io/applied-hash': 'h' }, ownerReferences: [OWNER] },
      spec: { replicas: 2, template: { metadata: { annotations: { a: 'b' } } } },
      status: { availableReplicas: 1 },
    });
    const cm = trimInPlace(
      { metadata: structuredClone(metadata), data: { 'hello.js': 'code' } } as KubernetesObject,
      'ConfigMap',
    );
    expect(cm).toEqual({ metadata: dep.metadata });
  });
});
