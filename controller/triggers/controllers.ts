import {
  BatchV1Api,
  NetworkingV1Api,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Applier } from '../apply.js';
import type { ControllerConfig } from '../config.js';
import type { EventRecorder } from '../events.js';
import type { Informer } from '../../lib/k8s/informer.js';
import type { Clients } from '../kube.js';
import type { Logger } from '../../lib/server/log.js';
import { ReconcileLoop, keyOf } from '../loop.js';
import type { ControllerMetrics } from '../metrics.js';
import { GROUP, VERSION } from '../../lib/types.js';
import type { CronJobTrigger, HTTPTrigger } from '../../lib/types.js';
import { LABEL_TRIGGER } from './meta.js';
import {
  TRIGGER_KINDS,
  triggerOwnerKey,
  triggersNaming,
  type PlannedFunction,
  type TriggerKind,
} from './plan.js';
import { TriggerReconciler } from './reconcile.js';

// The API types of the triggers, as the informer caches hold them (client-node's metadata type
// for the cache, the generated spec for the builders).
type Trigger = (HTTPTrigger | CronJobTrigger) & KubernetesObject;

/** The Manager's informer factory: registers the informer so it starts, syncs and stops with the rest. */
export type AddInformer = <T extends KubernetesObject>(
  path: string,
  list: () => Promise<KubernetesListObject<T>>,
  onChange: (obj: T) => void,
  selectors?: { labelSelector?: string; trim?: (obj: T) => void },
) => Informer<T>;

export interface TriggerControllersDeps {
  clients: Clients;
  addInformer: AddInformer;
  fn: (namespace: string, name: string) => PlannedFunction | undefined;
  applier: Applier;
  events: EventRecorder;
  config: ControllerConfig;
  metrics: ControllerMetrics;
  log: Logger;
}

const KINDS: readonly TriggerKind[] = ['HTTPTrigger', 'CronJobTrigger'];

/**
 * The reconcilers read only identity, labels, owner references and the applied-hash annotation of
 * the Ingresses and CronJobs they made; the rest would only cost memory.
 */
function trimOwned(obj: KubernetesObject): void {
  const o = obj as KubernetesObject & { spec?: unknown; status?: unknown };
  if (o.metadata) delete o.metadata.managedFields;
  delete o.spec;
  delete o.status;
}

/**
 * The HTTPTrigger and CronJobTrigger controllers: informers for the triggers and the Ingresses and
 * CronJobs they own (labelled kubeless.io/trigger), one queue each, and the Function events that
 * re-queue the triggers naming a Function (its timeout and Service port are in their objects).
 */
export class TriggerControllers {
  private readonly triggers = new Map<TriggerKind, Informer<Trigger>>();
  private readonly owned = new Map<TriggerKind, Informer<KubernetesObject>>();
  private readonly loops = new Map<TriggerKind, ReconcileLoop>();

  constructor(private readonly deps: TriggerControllersDeps) {
    const reconciler = new TriggerReconciler({
      world: {
        trigger: (kind, ns, name) => this.triggers.get(kind)?.get(name, ns),
        fn: deps.fn,
        owned: (kind, ns, name) => this.owned.get(kind)?.get(name, ns),
      },
      applier: deps.applier,
      custom: deps.clients.custom,
      events: deps.events,
      config: deps.config,
      log: deps.log,
    });
    for (const kind of KINDS) {
      const reconcile = (ns: string, name: string) => reconciler.reconcile(kind, ns, name);
      this.loops.set(kind, new ReconcileLoop(kind, reconcile, deps.metrics, deps.log));
    }
  }

  /** Registers the informers; call once, before the Manager starts them. */
  setupInformers(): void {
    const { clients, addInformer } = this.deps;
    const networking = clients.kc.makeApiClient(NetworkingV1Api);
    const batch = clients.kc.makeApiClient(BatchV1Api);
    const labelSelector = LABEL_TRIGGER;
    const listOwned: Record<TriggerKind, () => Promise<KubernetesListObject<KubernetesObject>>> = {
      HTTPTrigger: () => networking.listIngressForAllNamespaces({ labelSelector }),
      CronJobTrigger: () => batch.listCronJobForAllNamespaces({ labelSelector }),
    };
    const ownedPath: Record<TriggerKind, string> = {
      HTTPTrigger: '/apis/networking.k8s.io/v1/ingresses',
      CronJobTrigger: '/apis/batch/v1/cronjobs',
    };
    for (const kind of KINDS) {
      const { plural } = TRIGGER_KINDS[kind];
      const loop = this.loops.get(kind);
      const informer = addInformer<Trigger>(
        `/apis/${GROUP}/${VERSION}/${plural}`,
        () =>
          clients.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural }) as Promise<
            KubernetesListObject<Trigger>
          >,
        (t) => loop?.enqueue(keyOf(t.metadata.namespace, t.metadata.name)),
        { trim: (t) => void delete t.metadata.managedFields },
      );
      this.triggers.set(kind, informer);
      const owned = addInformer<KubernetesObject>(
        ownedPath[kind],
        listOwned[kind],
        (obj) => loop?.enqueue(triggerOwnerKey(obj, kind)),
        { labelSelector, trim: trimOwned },
      );
      this.owned.set(kind, owned);
    }
  }

  start(workers: number): void {
    for (const loop of this.loops.values()) loop.start(workers);
  }

  /** Stops handing out work (in-flight reconciles finish); start() resumes. */
  async pause(): Promise<void> {
    await Promise.allSettled([...this.loops.values()].map((l) => l.pause()));
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.loops.values()].map((l) => l.stop()));
  }

  /** A Function was added, changed or deleted: its triggers' objects and status may change with it. */
  onFunction(namespace: string, name: string): void {
    for (const kind of KINDS) {
      const list = this.triggers.get(kind)?.list(namespace) ?? [];
      for (const key of triggersNaming(list, namespace, name)) this.loops.get(kind)?.enqueue(key);
    }
  }

  enqueueAll(): void {
    for (const kind of KINDS) {
      for (const t of this.triggers.get(kind)?.list() ?? []) {
        this.loops.get(kind)?.enqueue(keyOf(t.metadata.namespace, t.metadata.name));
      }
    }
  }
}
