import type { CustomObjectsApi, KubernetesObject } from '@kubernetes/client-node';
import type { Applier, ApplyOutcome } from '../apply.js';
import type { ControllerConfig } from '../config.js';
import type { EventRecorder } from '../events.js';
import { describeError } from '../kube.js';
import type { Logger } from '../../lib/server/log.js';
import { isOwnedBy } from '../ownership.js';
import { patchStatus } from '../../lib/k8s/patch-status.js';
import { statusChanged } from '../../lib/k8s/conditions.js';
import { FIELD_MANAGER } from '../config.js';
import { ReconcileError } from '../reconcile.js';
import type { CronJobTrigger, HTTPTrigger, TriggerStatus } from '../../lib/types.js';
import {
  TRIGGER_KINDS,
  appliedOutcome,
  planTrigger,
  type AnyTrigger,
  type PlannedFunction,
  type TriggerKind,
} from './plan.js';
import { readyCondition, triggerStatus, type TriggerOutcome } from './status.js';

/** What the trigger reconcilers read: the informers' caches. */
export interface TriggerWorld {
  trigger(kind: TriggerKind, namespace: string, name: string): HTTPTrigger | CronJobTrigger | undefined;
  fn(namespace: string, name: string): PlannedFunction | undefined;
  /** The Ingress or CronJob of that name, from the label-filtered cache (so only ones carrying our label). */
  owned(kind: TriggerKind, namespace: string, name: string): KubernetesObject | undefined;
}

export interface TriggerReconcilerDeps {
  world: TriggerWorld;
  applier: Applier;
  custom: CustomObjectsApi;
  events: EventRecorder;
  config: ControllerConfig;
  log: Logger;
}

function tagged(kind: TriggerKind, t: HTTPTrigger | CronJobTrigger): AnyTrigger {
  return kind === 'HTTPTrigger'
    ? { kind, trigger: t as HTTPTrigger }
    : { kind, trigger: t as CronJobTrigger };
}

/**
 * Turns an HTTPTrigger into its Ingress, a CronJobTrigger into its CronJob, and writes the
 * trigger's status. Level-triggered: it reads everything from the caches each time, so running
 * it twice, or after a missed event, converges on the same objects and writes nothing new.
 */
export class TriggerReconciler {
  constructor(private readonly deps: TriggerReconcilerDeps) {}

  async reconcile(kind: TriggerKind, namespace: string, name: string): Promise<void> {
    const { world, log } = this.deps;
    const t = world.trigger(kind, namespace, name);
    if (!t) {
      // The Ingress/CronJob carry an owner reference to the trigger: the garbage collector removes them.
      this.deps.events.forget(namespace, name);
      return;
    }
    if (t.metadata.deletionTimestamp) return;
    const fn = world.fn(namespace, t.spec['function-name']);
    const plan = planTrigger(tagged(kind, t), fn, this.deps.config);
    let outcome: TriggerOutcome;
    if (plan.action === 'apply') {
      outcome = await this.apply(kind, t, plan.desired);
    } else {
      if (plan.action === 'remove') await this.remove(kind, t);
      outcome = plan.outcome;
    }
    if (outcome.kind !== 'applied') {
      const { reason, message } = readyCondition(t, outcome);
      if (await this.deps.events.record(t, 'Warning', reason, message)) {
        log.warn({ kind, namespace, name, reason }, message);
      }
    }
    await this.writeStatus(kind, t, triggerStatus(t, outcome, new Date()));
  }

  private async apply(
    kind: TriggerKind,
    t: HTTPTrigger | CronJobTrigger,
    desired: KubernetesObject,
  ): Promise<TriggerOutcome> {
    const namespace = t.metadata.namespace ?? 'default';
    const name = t.metadata.name ?? '';
    const objectKind = TRIGGER_KINDS[kind].objectKind;
    let result: ApplyOutcome;
    try {
      result = await this.deps.applier.ensure(t, desired, this.deps.world.owned(kind, namespace, name));
    } catch (err) {
      const message =
        `could not apply ${objectKind} ${namespace}/${name}: ${describeError(err)}; ` +
        'check the trigger spec and the controller ClusterRole';
      throw new ReconcileError({ reason: 'ApplyFailed', message }, err);
    }
    if (result.result !== 'unchanged' && result.result !== 'conflict') {
      this.deps.log.info(
        { kind, namespace, name, objectKind, result: result.result },
        `${objectKind} ${result.result}`,
      );
    }
    return appliedOutcome(kind, name, result.result);
  }

  /** Deletes the trigger's object, but never a same-named one it did not make. */
  private async remove(kind: TriggerKind, t: HTTPTrigger | CronJobTrigger): Promise<void> {
    const namespace = t.metadata.namespace ?? 'default';
    const name = t.metadata.name ?? '';
    const { apiVersion, objectKind } = TRIGGER_KINDS[kind];
    const header = { apiVersion, kind: objectKind, metadata: { name, namespace } };
    // The cache may lag behind an apply made moments ago; the server has the last word.
    const existing = this.deps.world.owned(kind, namespace, name) ?? (await this.deps.applier.read(header));
    if (!existing || !isOwnedBy(existing, t)) return;
    try {
      await this.deps.applier.remove(header);
    } catch (err) {
      const message = `could not delete ${objectKind} ${namespace}/${name}: ${describeError(err)}`;
      throw new ReconcileError({ reason: 'DeleteFailed', message }, err);
    }
    this.deps.log.info(
      { kind, namespace, name, objectKind, function: t.spec['function-name'] },
      `${objectKind} removed: the Function is gone`,
    );
  }

  private async writeStatus(
    kind: TriggerKind,
    t: HTTPTrigger | CronJobTrigger,
    status: TriggerStatus,
  ): Promise<void> {
    if (!statusChanged(t.status, status)) return;
    const namespace = t.metadata.namespace ?? 'default';
    const name = t.metadata.name ?? '';
    try {
      await patchStatus(
        this.deps.custom,
        FIELD_MANAGER,
        { plural: TRIGGER_KINDS[kind].plural, namespace, name },
        status,
      );
    } catch (err) {
      throw new ReconcileError({ reason: 'StatusUpdateFailed', message: (err as Error).message }, err);
    }
  }
}
