import type {
  CustomObjectsApi,
  KubernetesObject,
  V1Deployment,
  V1Pod,
  V1PodTemplateSpec,
  V1Service,
} from '@kubernetes/client-node';
import type { Applier, ApplyOutcome } from './apply.js';
import { resolveFunction } from '../lib/function/resolve.js';
import { FAILURE_REASONS, PROGRESS_REASONS_BY_NAME } from '../lib/function/reasons.js';
import type { FieldError } from '../lib/function/errors.js';
import { describeFieldError } from '../lib/k8s/status.js';
import { functionPolicyErrors, installNamespaceError } from '../lib/policy/function.js';
import { FIELD_MANAGER, type ControllerConfig } from './config.js';
import { desiredConfigMap, desiredDeployment, desiredHPA, desiredService } from './desired/index.js';
import { ANNOTATION_CHECKSUM } from './desired/meta.js';
import type { EventRecorder } from './events.js';
import { describeError } from './kube.js';
import type { Logger } from '../lib/server/log.js';
import {
  FUNCTION_PLURAL,
  type KubelessFunction,
  type ResolvedFunction,
  type RuntimeCatalog,
} from './model.js';
import { conflictMessage, isLeftoverOfNamesake, isOwnedBy } from './ownership.js';
import { patchStatus } from '../lib/k8s/patch-status.js';
import { statusChanged } from '../lib/k8s/conditions.js';
import { computeStatus, lastRestart, type Problem } from './status.js';

export type OwnedKind = 'ConfigMap' | 'Deployment' | 'Service' | 'HorizontalPodAutoscaler';

/** What the reconciler reads: the informers' caches and the live catalog. */
export interface World {
  fn(namespace: string, name: string): KubelessFunction | undefined;
  owned(kind: OwnedKind, namespace: string, name: string): KubernetesObject | undefined;
  pods(namespace: string, name: string): readonly V1Pod[];
  catalog(): RuntimeCatalog;
  /** Where the catalog lives, for messages that tell the user where to add a runtime. */
  catalogSource: string;
}

export interface ReconcilerDeps {
  world: World;
  applier: Applier;
  custom: CustomObjectsApi;
  events: EventRecorder;
  config: ControllerConfig;
  log: Logger;
}

export class ReconcileError extends Error {
  constructor(
    readonly problem: Problem,
    cause: unknown,
  ) {
    super(problem.message, { cause });
  }
}

/** The operator's policy refuses what the Function asks for: nothing is applied. */
function policyProblem(errors: FieldError[]): Problem {
  return {
    reason: FAILURE_REASONS.PolicyViolation,
    message: `not applied: ${errors.map(describeFieldError).join('; ')}`,
  };
}

/** Turns one Function into its objects and status; level-triggered, so running it twice changes nothing. */
export class FunctionReconciler {
  constructor(private readonly deps: ReconcilerDeps) {}

  async reconcile(namespace: string, name: string): Promise<void> {
    const { world, events } = this.deps;
    const fn = world.fn(namespace, name);
    if (!fn) {
      // Owner references make the garbage collector delete the objects; nothing to do here.
      events.forget(namespace, name);
      return;
    }
    if (fn.metadata.deletionTimestamp) return;
    const nsError = installNamespaceError(fn, { installNamespace: this.deps.config.installNamespace });
    if (nsError) return this.finish(fn, undefined, policyProblem([nsError]));
    // Resolved once: every object below is rendered from this value, nothing re-decides a default.
    const resolution = resolveFunction(fn, world.catalog(), { catalogSource: world.catalogSource });
    // A Function that cannot resolve gets no new objects; the ones it has are left as they are.
    if (!resolution.ok) return this.finish(fn, undefined, resolution.problem);
    const resolved = resolution.value;
    const runtime = resolved.runtime.id;
    let outcome: { deployment?: V1Deployment; problem?: Problem };
    try {
      outcome = await this.applyAll(resolved);
    } catch (err) {
      const problem =
        err instanceof ReconcileError
          ? err.problem
          : { reason: FAILURE_REASONS.ReconcileFailed, message: describeError(err) };
      await this.finish(
        fn,
        world.owned('Deployment', namespace, name) as V1Deployment | undefined,
        problem,
        runtime,
      );
      throw err;
    }
    await this.finish(fn, outcome.deployment, outcome.problem, runtime);
  }

  private async applyAll(
    resolved: ResolvedFunction,
  ): Promise<{ deployment?: V1Deployment; problem?: Problem }> {
    const { world, applier, config } = this.deps;
    const { fn } = resolved;
    const ns = fn.metadata.namespace ?? 'default';
    const name = fn.metadata.name ?? '';
    let desired: { kind: OwnedKind; obj: KubernetesObject }[];
    let podTemplate: V1PodTemplateSpec | undefined;
    let service: V1Service;
    try {
      const dep = desiredDeployment(resolved, config);
      podTemplate = dep.spec?.template;
      service = desiredService(fn);
      desired = [
        { kind: 'ConfigMap', obj: desiredConfigMap(resolved) },
        { kind: 'Deployment', obj: dep },
        { kind: 'Service', obj: service },
      ];
    } catch (err) {
      return { problem: { reason: FAILURE_REASONS.InvalidSpec, message: describeError(err) } };
    }
    // The webhook judged the pod it expected; this judges the one rendered, so a Function stored
    // while the webhook was down (or ignored) still never gets a pod the policy forbids.
    const refused = functionPolicyErrors(
      fn,
      { podTemplate: podTemplate ?? {}, serviceSpec: service.spec },
      config.policy,
      { installNamespace: config.installNamespace },
    );
    if (refused.length > 0) {
      return {
        deployment: world.owned('Deployment', ns, name) as V1Deployment | undefined,
        problem: policyProblem(refused),
      };
    }
    const hpa = desiredHPA(fn);
    if (hpa) desired.push({ kind: 'HorizontalPodAutoscaler', obj: hpa });
    let deployment = world.owned('Deployment', ns, name) as V1Deployment | undefined;
    // The ConfigMap first: a Deployment must never mount a ConfigMap someone else owns. The
    // rest do not depend on each other and go in parallel, which halves a first reconcile's latency.
    const [first, ...rest] = desired;
    const stages = [[first], rest];
    for (const stage of stages) {
      const outcomes = await Promise.all(stage.map(({ kind, obj }) => this.ensure(fn, kind, obj)));
      const conflict = outcomes.find((o) => o.result.result === 'conflict');
      if (conflict) {
        if (isLeftoverOfNamesake(conflict.result.object, fn)) {
          // Not a conflict to report as final (`--wait` would give up): retry with backoff until
          // the garbage collector has removed the deleted namesake's object.
          const message = `waiting for the garbage collector to remove the ${conflict.kind} of a deleted Function named ${name}`;
          throw new ReconcileError({ reason: PROGRESS_REASONS_BY_NAME.Pending, message }, new Error(message));
        }
        const message = conflictMessage(conflict.kind, ns, name);
        return { deployment, problem: { reason: FAILURE_REASONS.ResourceConflict, message } };
      }
      for (const { kind, cached, result } of outcomes) {
        if (kind === 'Deployment') {
          if (result.result !== 'unchanged') {
            await this.noteRollout(fn, cached as V1Deployment | undefined, result.object as V1Deployment);
          }
          deployment = result.object as V1Deployment;
        }
        if (result.result !== 'unchanged') {
          this.deps.log.info(
            { namespace: ns, name, kind, result: result.result },
            `${kind} ${result.result}`,
          );
        }
      }
    }
    const staleHpa = world.owned('HorizontalPodAutoscaler', ns, name);
    if (!hpa && staleHpa && isOwnedBy(staleHpa, fn)) {
      await applier.remove(staleHpa);
      this.deps.log.info(
        { namespace: ns, name },
        'HorizontalPodAutoscaler removed: spec.horizontalPodAutoscaler is gone',
      );
    }
    return { deployment };
  }

  private async ensure(
    fn: KubelessFunction,
    kind: OwnedKind,
    obj: KubernetesObject,
  ): Promise<{ kind: OwnedKind; cached: KubernetesObject | undefined; result: ApplyOutcome }> {
    const ns = fn.metadata.namespace ?? 'default';
    const name = fn.metadata.name ?? '';
    const cached = this.deps.world.owned(kind, ns, name);
    try {
      return { kind, cached, result: await this.deps.applier.ensure(fn, obj, cached) };
    } catch (err) {
      const message = `could not apply ${kind} ${ns}/${name}: ${describeError(err)}`;
      throw new ReconcileError({ reason: FAILURE_REASONS.ApplyFailed, message }, err);
    }
  }

  private async noteRollout(
    fn: KubelessFunction,
    before: V1Deployment | undefined,
    after: V1Deployment,
  ): Promise<void> {
    const was = before?.spec?.template?.metadata?.annotations?.[ANNOTATION_CHECKSUM];
    const now = after.spec?.template?.metadata?.annotations?.[ANNOTATION_CHECKSUM];
    if (was === now) return;
    const message = was
      ? `rolling out a new pod template (checksum ${now?.slice(0, 12)}): code, deps, runtime, handler, timeout or env changed`
      : `created Deployment ${after.metadata?.namespace}/${after.metadata?.name}`;
    await this.deps.events.record(fn, 'Normal', was ? 'RolloutStarted' : 'Created', message);
  }

  private async finish(
    fn: KubelessFunction,
    deployment: V1Deployment | undefined,
    problem: Problem | undefined,
    runtime?: string,
  ): Promise<void> {
    const { world, events, log } = this.deps;
    const ns = fn.metadata.namespace ?? 'default';
    const name = fn.metadata.name ?? '';
    if (problem && (await events.record(fn, 'Warning', problem.reason, problem.message))) {
      log.warn({ namespace: ns, name, reason: problem.reason }, problem.message);
    }
    const pods = world.pods(ns, name);
    const restart = lastRestart(pods);
    if (restart && (await events.record(fn, 'Warning', restart.reason, restart.message, 'restart'))) {
      log.warn({ namespace: ns, name, reason: restart.reason }, restart.message);
    }
    const status = computeStatus(fn, { deployment, pods, problem, runtime }, new Date());
    if (!statusChanged(fn.status, status)) return;
    try {
      // A merge patch keeps what it does not name: say null to drop a runtime that no longer resolves.
      const body = status.runtime === undefined && fn.status?.runtime ? { ...status, runtime: null } : status;
      await patchStatus(
        this.deps.custom,
        FIELD_MANAGER,
        { plural: FUNCTION_PLURAL, namespace: ns, name },
        body,
      );
    } catch (err) {
      throw new ReconcileError(
        { reason: FAILURE_REASONS.StatusUpdateFailed, message: (err as Error).message },
        err,
      );
    }
  }
}
