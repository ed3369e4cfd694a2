import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { setCondition, type DecidedCondition } from '../lib/k8s/conditions.js';
import type { FunctionStatus, KubelessFunction } from './model.js';
import {
  FAILURE_REASONS as F,
  PROGRESS_REASONS_BY_NAME as P,
  READY_REASONS,
} from '../lib/function/reasons.js';

/** A failure the user can act on; it becomes the Ready condition's reason and message and an Event. */
export interface Problem {
  reason: string;
  message: string;
}

export interface Observed {
  deployment?: V1Deployment;
  pods: readonly V1Pod[];
  /** Set when this reconcile could not make the objects; it wins over the Deployment's state. */
  problem?: Problem;
  /** The catalog runtime that runs the function (spec.runtime may be an alias of it). */
  runtime?: string;
}

const POD_WAITING_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'InvalidImageName',
]);

/**
 * The latest abnormal end of a container that kubelet restarted (killed for exceeding its memory
 * limit, or exited with an error), from the pods' last states: the Function's status and an Event
 * say it, since nothing else on the Function would (chaos scenario 7). The time is in the message,
 * so each new end is a new Event.
 */
export function lastRestart(pods: readonly V1Pod[]): Problem | undefined {
  let latest: { at: string; problem: Problem } | undefined;
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '?';
    for (const s of pod.status?.containerStatuses ?? []) {
      const t = s.lastState?.terminated;
      if (!t || (t.exitCode === 0 && t.reason !== 'OOMKilled')) continue;
      const at = t.finishedAt ? new Date(t.finishedAt).toISOString() : '';
      if (latest && at <= latest.at) continue;
      const restarts = `${s.restartCount} restart${s.restartCount === 1 ? '' : 's'} so far`;
      const when = at ? ` at ${at}` : '';
      latest = {
        at,
        problem:
          t.reason === 'OOMKilled'
            ? {
                reason: F.OOMKilled,
                message: `pod ${name} container ${s.name} was OOMKilled${when}: it exceeded its memory limit (raise resources.limits.memory in the Function's spec.deployment, or use less memory); ${restarts}`,
              }
            : {
                reason: F.ContainerRestarted,
                message: `pod ${name} container ${s.name} exited with code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${when}; ${restarts}`,
              },
      };
    }
  }
  return latest?.problem;
}

/** The most telling reason a pod of the function is not serving, if the pods say. */
export function podProblem(pods: readonly V1Pod[]): Problem | undefined {
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '?';
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const s of statuses) {
      const waiting = s.state?.waiting;
      if (waiting?.reason && POD_WAITING_REASONS.has(waiting.reason)) {
        if (s.lastState?.terminated?.reason === 'OOMKilled') {
          return {
            reason: F.OOMKilled,
            message: `pod ${name} container ${s.name} was OOMKilled (it exceeded its memory limit) and waits to restart: ${waiting.message ?? waiting.reason}`,
          };
        }
        return {
          reason: waiting.reason,
          message: `pod ${name} container ${s.name}: ${waiting.message ?? waiting.reason}`,
        };
      }
      const terminated = s.state?.terminated;
      if (terminated && terminated.exitCode !== 0 && s.lastState?.terminated) {
        return {
          reason: F.ContainerFailed,
          message:
            `pod ${name} container ${s.name} exited with code ${terminated.exitCode}: ${terminated.reason ?? ''} ${terminated.message ?? ''}`.trim(),
        };
      }
    }
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False') {
      return {
        reason: scheduled.reason ?? F.Unschedulable,
        message: `pod ${name} cannot be scheduled: ${scheduled.message ?? 'no node fits it'}`,
      };
    }
  }
  return undefined;
}

function readyCondition(fn: KubelessFunction, observed: Observed): DecidedCondition {
  const generation = fn.metadata.generation;
  const notReady = (p: Problem) => ({
    type: 'Ready',
    status: 'False' as const,
    ...p,
    observedGeneration: generation,
  });
  if (observed.problem) return notReady(observed.problem);
  const deployment = observed.deployment;
  if (!deployment)
    return notReady({ reason: P.DeploymentMissing, message: 'the Deployment has not been created yet' });
  const status = deployment.status ?? {};
  const want = deployment.spec?.replicas ?? 1;
  const available = status.availableReplicas ?? 0;
  const depGeneration = deployment.metadata?.generation ?? 0;
  if (want === 0)
    return notReady({ reason: F.ScaledToZero, message: 'the Deployment is scaled to 0 replicas' });
  const stuck = status.conditions?.find((c) => c.type === 'Progressing' && c.status === 'False');
  if (stuck)
    return notReady({ reason: stuck.reason ?? F.ProgressDeadlineExceeded, message: stuck.message ?? '' });
  const rolledOut =
    (status.observedGeneration ?? 0) >= depGeneration && (status.updatedReplicas ?? 0) >= want;
  // Serving or not, a container that was just restarted is worth saying (kubectl get pods shows
  // RESTARTS; the Function should not look spotless meanwhile).
  const restart = lastRestart(observed.pods);
  const restartNote = restart ? `; last restart: ${restart.message}` : '';
  if (available > 0 && rolledOut) {
    return {
      type: 'Ready',
      status: 'True',
      reason: READY_REASONS.DeploymentAvailable,
      message: `${available}/${want} replicas available${restartNote}`,
      observedGeneration: generation,
    };
  }
  const fromPods = podProblem(observed.pods);
  if (fromPods) return notReady(fromPods);
  if (observed.pods.length === 0) {
    return notReady({
      reason: P.NoPods,
      message: `0/${want} replicas available: no pods exist yet (is kube-controller-manager running?)`,
    });
  }
  return notReady({
    reason: available > 0 ? P.RolloutInProgress : P.PodsNotReady,
    message: `${available}/${want} replicas available; waiting for pods to pass /healthz${restartNote}`,
  });
}

/** The status to write; lastTransitionTime only moves when the condition's status flips. */
export function computeStatus(fn: KubelessFunction, observed: Observed, now: Date): FunctionStatus {
  return {
    observedGeneration: fn.metadata.generation,
    readyReplicas: observed.deployment?.status?.readyReplicas ?? 0,
    ...(observed.runtime ? { runtime: observed.runtime } : {}),
    conditions: setCondition(fn.status?.conditions, readyCondition(fn, observed), now),
  };
}
