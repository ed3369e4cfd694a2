import { isProgressReason } from '../../lib/function/reasons.js';
import type { Condition, FunctionObject } from '../kube/types.js';

export type Phase = 'ready' | 'failed' | 'progressing';

export interface Readiness {
  phase: Phase;
  reason: string;
  message: string;
}

export function readyCondition(fn: FunctionObject): Condition | undefined {
  return fn.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Where a Function stands, judged only from its object: the decision behind `--wait`. */
export function readiness(fn: FunctionObject): Readiness {
  const generation = fn.metadata.generation;
  const observed = fn.status?.observedGeneration;
  if (generation !== undefined && observed !== undefined && observed < generation) {
    return {
      phase: 'progressing',
      reason: 'Pending',
      message: `waiting for the controller to observe generation ${generation}`,
    };
  }
  const cond = readyCondition(fn);
  if (!cond) return { phase: 'progressing', reason: 'Pending', message: 'no Ready condition yet' };
  if (
    generation !== undefined &&
    cond.observedGeneration !== undefined &&
    cond.observedGeneration < generation
  ) {
    return {
      phase: 'progressing',
      reason: 'Pending',
      message: `waiting for the controller to observe generation ${generation}`,
    };
  }
  const reason = cond.reason ?? (cond.status === 'True' ? 'Ready' : 'Unknown');
  const message = cond.message ?? '';
  if (cond.status === 'True') return { phase: 'ready', reason, message };
  if (cond.status === 'False' && !isProgressReason(reason)) return { phase: 'failed', reason, message };
  return { phase: 'progressing', reason, message };
}
