// The status conditions of every kind both platforms report on (Functions and the three triggers):
// how a decided condition enters the list, and when a new status is worth writing. What a
// condition says (its reason and message) is each reconciler's decision, not this module's.
import type { Condition } from '../types.js';
import { canonicalJson } from './canonical.js';

/** A condition as a reconciler decides it; the transition time is setCondition's to fill in. */
export type DecidedCondition = Omit<Condition, 'lastTransitionTime'>;

/**
 * `conditions` with the one of `next.type` replaced by `next` (placed last, the others kept in
 * order). Its lastTransitionTime stays while its status holds and becomes `now` when the status
 * flips or the condition is new, as the Kubernetes API conventions ask. Pure.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: DecidedCondition,
  now: Date | string,
): Condition[] {
  const old = conditions?.find((c) => c.type === next.type);
  const lastTransitionTime =
    old && old.status === next.status && old.lastTransitionTime
      ? old.lastTransitionTime
      : typeof now === 'string'
        ? now
        : now.toISOString();
  return [...(conditions ?? []).filter((c) => c.type !== next.type), { ...next, lastTransitionTime }];
}

/**
 * Whether writing `next` over `current` would change anything a reader sees, so that a reconcile
 * that decides the same again does not write. Compared canonically (key order and undefined
 * members do not count); transition times count, and setCondition keeps them while nothing flips.
 */
export function statusChanged(current: unknown, next: unknown): boolean {
  return canonicalJson(current ?? {}) !== canonicalJson(next ?? {});
}
