// The controller's decisions as pure functions: restart delays and the Function status that
// follows from what the backend observed.
import { PROGRESS_REASONS_BY_NAME, READY_REASONS, type FailureReason } from '../../lib/function/reasons.js';
import { setCondition, type DecidedCondition } from '../../lib/k8s/conditions.js';
import type { FunctionStatus } from '../../lib/types.js';

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 60_000;
/** A process that served this long is healthy again; its next crash starts from the base delay. */
export const STABLE_AFTER_MS = 60_000;

export function restartDelay(restarts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, restarts), BACKOFF_MAX_MS);
}

export type Phase =
  | { state: 'Progressing'; message: string }
  | { state: 'Ready' }
  | {
      state: 'Failed';
      reason: Extract<
        FailureReason,
        'LoadError' | 'InstallFailed' | 'CrashLoop' | 'PrepareFailed' | 'RuntimeNotFound' | 'InvalidSpec'
      >;
      message: string;
    };

export function functionStatus(
  previous: FunctionStatus | undefined,
  phase: Phase,
  generation: number,
  now: string,
  runtime?: string,
): FunctionStatus {
  const ready = phase.state === 'Ready';
  const next: DecidedCondition = {
    type: 'Ready',
    status: ready ? 'True' : 'False',
    observedGeneration: generation,
    reason:
      phase.state === 'Failed'
        ? phase.reason
        : phase.state === 'Ready'
          ? READY_REASONS.Ready
          : PROGRESS_REASONS_BY_NAME.Progressing,
    message: phase.state === 'Ready' ? 'the function serves requests' : phase.message,
  };
  return {
    observedGeneration: generation,
    readyReplicas: ready ? 1 : 0,
    ...(runtime ? { runtime } : {}),
    conditions: setCondition(previous?.conditions, next, now),
  };
}

/** The load error a runtime printed before exiting with 3 (its contract), if any. */
export function loadErrorOf(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const o = JSON.parse(line) as { msg?: unknown; error?: unknown };
    // The supervisor of the Node.js runtime repeats the message without the error; skip that line.
    if (typeof o.msg === 'string' && /failed to load/.test(o.msg) && typeof o.error === 'string')
      return o.error;
  } catch {
    return undefined;
  }
  return undefined;
}
