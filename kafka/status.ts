import { setCondition } from '../lib/k8s/conditions.js';
import type { Condition, TriggerStatus } from '../lib/types.js';
import type { ConsumerState } from './consumer.js';
import type { FunctionRef } from './types.js';

export type { Condition, TriggerStatus };

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
): Required<TriggerStatus> {
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
  // Ready is the only condition a trigger carries.
  const before = previous.filter((c) => c.type === 'Ready');
  return {
    observedGeneration: generation,
    conditions: setCondition(before, { type: 'Ready', ...ready, observedGeneration: generation }, now),
    functions: targets.map((t) => t.name),
  };
}
