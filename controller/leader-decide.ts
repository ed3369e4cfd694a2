import type { V1Lease } from '@kubernetes/client-node';

export type LeaseAction = 'create' | 'renew' | 'takeover' | 'follow';

/**
 * What a candidate should do with the Lease it just read. Expiry is judged on the local clock
 * from when this candidate last saw the record change (as client-go does), so clock skew between
 * machines cannot make a live leader look expired.
 */
export function decideLease(
  lease: V1Lease | undefined,
  identity: string,
  lastChangeSeenAtMs: number,
  nowMs: number,
): LeaseAction {
  if (!lease) return 'create';
  const holder = lease.spec?.holderIdentity ?? '';
  if (holder === identity) return 'renew';
  if (holder === '') return 'takeover';
  const durationMs = (lease.spec?.leaseDurationSeconds ?? 15) * 1000;
  return nowMs - lastChangeSeenAtMs > durationMs ? 'takeover' : 'follow';
}

/** Identifies a Lease record's content, to notice when the holder renewed it. */
export function leaseRecord(lease: V1Lease | undefined): string {
  const spec = lease?.spec;
  return `${spec?.holderIdentity ?? ''}|${String(spec?.renewTime ?? '')}|${spec?.leaseTransitions ?? 0}`;
}
