import type { KubernetesObject } from '@kubernetes/client-node';
import type { ControllerConfig } from '../config.js';
import type { CronJobTrigger, HTTPTrigger } from '../../lib/types.js';
import { desiredCronJob } from './cronjob.js';
import { desiredIngress } from './ingress.js';
import type { TriggerOutcome } from './status.js';
import type { TriggerTarget } from './target.js';

export type TriggerKind = 'HTTPTrigger' | 'CronJobTrigger';
export type TriggerObjectKind = 'Ingress' | 'CronJob';

export type AnyTrigger =
  { kind: 'HTTPTrigger'; trigger: HTTPTrigger } | { kind: 'CronJobTrigger'; trigger: CronJobTrigger };

/** What a trigger of each kind makes, and where those objects live in the API. */
export const TRIGGER_KINDS: Record<
  TriggerKind,
  { plural: string; objectKind: TriggerObjectKind; apiVersion: string }
> = {
  HTTPTrigger: { plural: 'httptriggers', objectKind: 'Ingress', apiVersion: 'networking.k8s.io/v1' },
  CronJobTrigger: { plural: 'cronjobtriggers', objectKind: 'CronJob', apiVersion: 'batch/v1' },
};

/** A Function as far as planning goes: present or not, and whether it is on its way out. */
export interface PlannedFunction extends TriggerTarget {
  metadata: { deletionTimestamp?: unknown };
}

/**
 * What one reconcile should do with the trigger's object:
 * - `apply`: make the cluster hold `desired` (the outcome, applied or conflict, comes from the apply);
 * - `remove`: delete the object this trigger made, and report `outcome`;
 * - `keep`: touch nothing, and report `outcome`.
 */
export type TriggerPlan =
  | { action: 'apply'; desired: KubernetesObject }
  | { action: 'remove'; outcome: TriggerOutcome }
  | { action: 'keep'; outcome: TriggerOutcome };

/**
 * The decision for one trigger, given its Function (undefined when it does not exist).
 *
 * - No Function (or one being deleted): the Ingress or CronJob is removed. An Ingress to a missing
 *   Service answers 503 and a CronJob would start a failing pod on every tick; both come back
 *   as soon as the Function does, since a Function event re-queues the triggers naming it.
 * - A spec the builder refuses (kong with basic-auth-secret): the last good object is kept, so a
 *   mistaken edit does not take a route down; the status says what to fix.
 */
export function planTrigger(
  t: AnyTrigger,
  fn: PlannedFunction | undefined,
  config: ControllerConfig,
): TriggerPlan {
  if (!fn || fn.metadata.deletionTimestamp) {
    return { action: 'remove', outcome: { kind: 'functionNotFound' } };
  }
  try {
    const desired =
      t.kind === 'HTTPTrigger' ? desiredIngress(t.trigger, fn) : desiredCronJob(t.trigger, fn, config);
    return { action: 'apply', desired };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { action: 'keep', outcome: { kind: 'invalid', message } };
  }
}

/** The status outcome after an apply: a same-named object someone else owns is a conflict, not ours to take. */
export function appliedOutcome(
  kind: TriggerKind,
  name: string,
  result: 'created' | 'updated' | 'unchanged' | 'conflict',
): TriggerOutcome {
  const objectKind = TRIGGER_KINDS[kind].objectKind;
  return result === 'conflict'
    ? { kind: 'conflict', objectKind, objectName: name }
    : { kind: 'applied', objectKind, objectName: name };
}

/** The key of the trigger (of `kind`) that controls an object, from its controller owner reference. */
export function triggerOwnerKey(obj: KubernetesObject, kind: TriggerKind): string | undefined {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind);
  if (!ref || !obj.metadata?.namespace) return undefined;
  return `${obj.metadata.namespace}/${ref.name}`;
}

/** Keys of the triggers in `triggers` that name Function `fnName`: they re-reconcile when it changes. */
export function triggersNaming(
  triggers: readonly { metadata: { namespace?: string; name?: string }; spec: { 'function-name': string } }[],
  namespace: string,
  fnName: string,
): string[] {
  return triggers
    .filter((t) => (t.metadata.namespace ?? 'default') === namespace && t.spec['function-name'] === fnName)
    .map((t) => `${namespace}/${t.metadata.name ?? ''}`);
}
