import type { Condition, TriggerStatus } from '../../lib/types.js';
import type { Trigger } from './meta.js';

/** What one reconcile of a trigger found; the reconciler gathers it, this module decides the status. */
export type TriggerOutcome =
  | { kind: 'applied'; objectKind: 'Ingress' | 'CronJob'; objectName: string }
  | { kind: 'functionNotFound' }
  | { kind: 'invalid'; message: string }
  | { kind: 'conflict'; objectKind: 'Ingress' | 'CronJob'; objectName: string };

export function readyCondition(t: Trigger, outcome: TriggerOutcome): Omit<Condition, 'lastTransitionTime'> {
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
  const next = readyCondition(t, outcome);
  const prev = t.status?.conditions?.find((c) => c.type === 'Ready');
  const lastTransitionTime =
    prev && prev.status === next.status && prev.lastTransitionTime
      ? prev.lastTransitionTime
      : now.toISOString();
  return {
    ...(t.metadata.generation !== undefined ? { observedGeneration: t.metadata.generation } : {}),
    conditions: [{ ...next, lastTransitionTime }],
    functions: outcome.kind === 'applied' ? [t.spec['function-name']] : [],
  };
}

/** Field by field, since the API server may return the keys in another order than we wrote them. */
export function sameStatus(a: TriggerStatus | undefined, b: TriggerStatus): boolean {
  const ready = (s: TriggerStatus | undefined) => s?.conditions?.find((c) => c.type === 'Ready');
  const [x, y] = [ready(a), ready(b)];
  return (
    a?.observedGeneration === b.observedGeneration &&
    (a?.functions ?? []).join(',') === (b.functions ?? []).join(',') &&
    x?.status === y?.status &&
    x?.reason === y?.reason &&
    x?.message === y?.message &&
    x?.lastTransitionTime === y?.lastTransitionTime
  );
}
