import { setCondition, type DecidedCondition } from '../../lib/k8s/conditions.js';
import type { TriggerStatus } from '../../lib/types.js';
import type { Trigger } from './meta.js';

/** What one reconcile of a trigger found; the reconciler gathers it, this module decides the status. */
export type TriggerOutcome =
  | { kind: 'applied'; objectKind: 'Ingress' | 'CronJob'; objectName: string }
  | { kind: 'functionNotFound' }
  | { kind: 'invalid'; message: string }
  | { kind: 'conflict'; objectKind: 'Ingress' | 'CronJob'; objectName: string };

export function readyCondition(t: Trigger, outcome: TriggerOutcome): DecidedCondition {
  const fnName = t.spec['function-name'];
  const ns = t.metadata.namespace ?? 'default';
  switch (outcome.kind) {
    case 'applied':
      return {
        type: 'Ready',
        status: 'True',
        reason: 'Applied',
        message: `${outcome.objectKind} ${ns}/${outcome.objectName} delivers to Function ${fnName}`,
      };
    case 'functionNotFound':
      return {
        type: 'Ready',
        status: 'False',
        reason: 'FunctionNotFound',
        message: `Function ${ns}/${fnName} does not exist; deploy it or set spec.function-name to an existing Function`,
      };
    case 'invalid':
      return { type: 'Ready', status: 'False', reason: 'InvalidSpec', message: outcome.message };
    case 'conflict':
      return {
        type: 'Ready',
        status: 'False',
        reason: 'ResourceConflict',
        message:
          `${outcome.objectKind} ${ns}/${outcome.objectName} already exists and was not created by this trigger; ` +
          'delete or rename it, or rename the trigger',
      };
  }
}

/**
 * The next status: the transition time only moves when the condition's status flips, so
 * reconciling twice with the same outcome yields an identical status (and no write).
 */
export function triggerStatus(t: Trigger, outcome: TriggerOutcome, now: Date): TriggerStatus {
  // Ready is the only condition a trigger carries: one left by another writer is dropped.
  const ready = t.status?.conditions?.filter((c) => c.type === 'Ready');
  return {
    ...(t.metadata.generation !== undefined ? { observedGeneration: t.metadata.generation } : {}),
    conditions: setCondition(ready, readyCondition(t, outcome), now),
    functions: outcome.kind === 'applied' ? [t.spec['function-name']] : [],
  };
}
