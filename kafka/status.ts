import type { ConsumerState } from './consumer.js';
import type { FunctionRef } from './types.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface TriggerStatus {
  observedGeneration: number;
  conditions: Condition[];
  functions: string[];
}

/**
 * The trigger's status from what its consumer is doing. `Ready` is True only when the group is
 * consuming and at least one function receives the records; the reason says which part is wrong.
 */
export function triggerStatus(
  state: ConsumerState,
  targets: FunctionRef[],
  generation: number,
  previous: Condition[] = [],
  now: Date = new Date(),
): TriggerStatus {
  let ready: Pick<Condition, 'status' | 'reason' | 'message'>;
  if (state.phase === 'Failed') {
    ready = { status: 'False', reason: 'ConsumerFailed', message: state.message };
  } else if (targets.length === 0 || state.waitingForFunctions) {
    ready = {
      status: 'False',
      reason: 'NoMatchingFunctions',
      message:
        'no Function in this namespace matches spec.functionSelector; records wait (uncommitted) until one does',
    };
  } else if (state.phase === 'Consuming') {
    ready = { status: 'True', reason: 'Consuming', message: state.message };
  } else if (state.phase === 'Stopped') {
    ready = { status: 'False', reason: 'Stopped', message: state.message };
  } else {
    ready = { status: 'Unknown', reason: state.phase, message: state.message };
  }
  const before = previous.find((c) => c.type === 'Ready');
  // The transition time moves only when the status flips, as Kubernetes conventions ask.
  const lastTransitionTime =
    before && before.status === ready.status ? before.lastTransitionTime : now.toISOString();
  return {
    observedGeneration: generation,
    conditions: [{ type: 'Ready', ...ready, lastTransitionTime, observedGeneration: generation }],
    functions: targets.map((t) => t.name),
  };
}

/** Whether writing `next` over `prev` would change anything a reader sees (skip no-op PATCHes). */
export function statusChanged(prev: TriggerStatus | undefined, next: TriggerStatus): boolean {
  if (!prev) return true;
  return JSON.stringify(prev) !== JSON.stringify(next);
}
