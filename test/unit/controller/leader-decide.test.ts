import { describe, expect, test } from '@jest/globals';
import type { V1Lease } from '@kubernetes/client-node';
import { decideLease, leaseRecord } from '../../../controller/leader-decide.js';

function lease(holder: string, durationS = 15): V1Lease {
  return {
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: durationS,
      renewTime: '2026-01-01T00:00:00.000000Z' as unknown as Date,
    },
  };
}

describe('decideLease', () => {
  test('no Lease: create it', () => {
    expect(decideLease(undefined, 'me', 0, 0)).toBe('create');
  });
  test('my Lease: renew', () => {
    expect(decideLease(lease('me'), 'me', 0, 100_000)).toBe('renew');
  });
  test('released Lease: take it over at once', () => {
    expect(decideLease(lease(''), 'me', 0, 0)).toBe('takeover');
  });
  test('another holder: follow until its record has not changed for the lease duration', () => {
    expect(decideLease(lease('other', 15), 'me', 1_000, 16_000)).toBe('follow');
    expect(decideLease(lease('other', 15), 'me', 1_000, 16_001)).toBe('takeover');
  });
  test('leaseRecord changes when the holder renews', () => {
    const a = lease('other');
    const b = { spec: { ...a.spec, renewTime: '2026-01-01T00:00:02.000000Z' as unknown as Date } };
    expect(leaseRecord(a)).not.toBe(leaseRecord(b));
    expect(leaseRecord(a)).toBe(leaseRecord(structuredClone(a)));
  });
});
