import { hostname } from 'node:os';
import type { Server } from 'node:http';
import {
  AppsV1Api,
  AutoscalingV2Api,
  type KubernetesListObject,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Pod,
} from '@kubernetes/client-node';
import { Applier } from './apply.js';
import { DEFAULT_CATALOG, parseCatalog } from '../lib/catalog.js';
import type { ControllerConfig } from './config.js';
import { LABEL_CREATED_BY, LABEL_FUNCTION, CREATED_BY } from './desired/meta.js';
import { EventRecorder } from './events.js';
import { Informer } from '../lib/k8s/informer.js';
import { describeError, makeClients, type Clients } from './kube.js';
import { LeaderElector } from './leader.js';
import type { Logger } from '../lib/server/log.js';
import { ReconcileLoop, keyOf } from './loop.js';
import { makeMetrics, type ControllerMetrics } from './metrics.js';
import { GROUP, VERSION } from '../lib/types.js';
import { FUNCTION_PLURAL, type KubelessFunction, type RuntimeCatalog } from './model.js';
import { ownerKey } from './ownership.js';
import { trimInPlace } from './trim.js';
import { FunctionReconciler, type OwnedKind } from './reconcile.js';
import { TriggerControllers } from './triggers/controllers.js';
import { opsServer } from '../lib/server/ops.js';

export interface ManagerOptions {
  kubeconfig?: string;
  /** The install namespace: home of the catalog ConfigMap and the leader Lease. */
  namespace: string;
  catalogConfigMap: string;
  workers: number;
  resyncSeconds: number;
  leaseName: string;
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  metricsHost: string;
  metricsPort: number;
  config: ControllerConfig;
}

const OWNED_SELECTOR = `${LABEL_CREATED_BY}=${CREATED_BY}`;

/** Wires informers, the queues, the reconcilers, leader election and the health/metrics server. */
export class Manager {
  private readonly clients: Clients;
  private readonly metrics: ControllerMetrics;
  private functionLoop: ReconcileLoop | undefined;
  private triggers: TriggerControllers | undefined;
  private readonly elector: LeaderElector;
  private readonly informers: Informer<KubernetesObject>[] = [];
  private functions: Informer<KubelessFunction> | undefined;
  private readonly ownedInformers = new Map<OwnedKind, Informer<KubernetesObject>>();
  private pods: Informer<V1Pod> | undefined;
  private catalogInformer: Informer<V1ConfigMap> | undefined;
  private catalog: RuntimeCatalog = DEFAULT_CATALOG;
  private server: Server | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  /** The informers exist and were started; they run until stop(), whoever leads. */
  private cachesStarted = false;
  private settingUp: Promise<void> | undefined;
  /** A pause in progress (lost Lease): workers start again only once it is over. */
  private pausing: Promise<void> | undefined;
  /** The workers run: this instance leads. */
  private working = false;
  private stopping = false;

  constructor(
    private readonly options: ManagerOptions,
    private readonly log: Logger,
    /** Called when the controllers cannot start: the process should exit and restart clean. */
    private readonly onFatal: (reason: string) => void,
  ) {
    this.clients = makeClients(options.kubeconfig);
    this.metrics = makeMetrics();
    this.elector = new LeaderElector(
      this.clients.coordination,
      {
        namespace: options.namespace,
        name: options.leaseName,
        identity: options.identity,
        leaseDurationSeconds: options.leaseDurationSeconds,
        renewDeadlineMs: options.renewDeadlineMs,
        retryPeriodMs: options.retryPeriodMs,
      },
      log,
      () => {
        this.metrics.leader.set(1);
        this.startControllers().catch((err: unknown) =>
          this.onFatal(`could not start: ${describeError(err)}`),
        );
      },
      () => {
        this.metrics.leader.set(0);
        void this.pauseControllers();
      },
    );
  }

  get address(): string | undefined {
    const addr = this.server?.address();
    return addr && typeof addr === 'object' ? `http://${addr.address}:${addr.port}` : undefined;
  }

  async start(): Promise<void> {
    this.server = opsServer(
      {
        healthy: () => !this.stopping,
        ready: () => !this.stopping && (!this.elector.isLeader || this.allSynced()),
      },
      this.metrics.registry,
    );
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.metricsPort, this.options.metricsHost, () => resolve());
    });
    this.log.info(
      { address: this.address, identity: this.options.identity },
      'controller started; waiting for the leader lease',
    );
    this.elector.start();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await Promise.allSettled([this.functionLoop?.stop(), this.triggers?.stop()]);
    await Promise.allSettled(this.informers.map((i) => i.stop()));
    await this.elector.release();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    this.log.info('controller stopped');
  }

  private allSynced(): boolean {
    return this.cachesStarted && this.informers.every((i) => i.synced);
  }

  private enqueue(key: string | undefined): void {
    if (!this.stopping) this.functionLoop?.enqueue(key);
  }

  private enqueueAllFunctions(): void {
    for (const fn of this.functions?.list() ?? [])
      this.enqueue(keyOf(fn.metadata.namespace, fn.metadata.name));
  }

  private addInformer<T extends KubernetesObject>(
    path: string,
    list: () => Promise<KubernetesListObject<T>>,
    onChange: (obj: T) => void,
    selectors: { labelSelector?: string; fieldSelector?: string; trim?: (obj: T) => void } = {},
  ): Informer<T> {
    const informer = new Informer<T>({
      kc: this.clients.kc,
      path,
      list,
      log: this.log,
      onChange,
      ...selectors,
    });
    this.informers.push(informer as unknown as Informer<KubernetesObject>);
    return informer;
  }

  private setupInformers(): void {
    const { core, custom, kc } = this.clients;
    const apps = kc.makeApiClient(AppsV1Api);
    const autoscaling = kc.makeApiClient(AutoscalingV2Api);
    const labelSelector = OWNED_SELECTOR;
    const toOwner = (obj: KubernetesObject) => this.enqueue(ownerKey(obj));
    this.functions = this.addInformer<KubelessFunction>(
      `/apis/${GROUP}/${VERSION}/${FUNCTION_PLURAL}`,
      () =>
        custom.listClusterCustomObject({
          group: GROUP,
          version: VERSION,
          plural: FUNCTION_PLURAL,
        }) as Promise<KubernetesListObject<KubelessFunction>>,
      (fn) => {
        this.enqueue(keyOf(fn.metadata.namespace, fn.metadata.name));
        this.triggers?.onFunction(fn.metadata.namespace ?? 'default', fn.metadata.name ?? '');
      },
      { trim: (fn) => void delete fn.metadata.managedFields },
    );
    const owned: [OwnedKind, string, () => Promise<KubernetesListObject<KubernetesObject>>][] = [
      ['ConfigMap', '/api/v1/configmaps', () => core.listConfigMapForAllNamespaces({ labelSelector })],
      ['Service', '/api/v1/services', () => core.listServiceForAllNamespaces({ labelSelector })],
      [
        'Deployment',
        '/apis/apps/v1/deployments',
        () => apps.listDeploymentForAllNamespaces({ labelSelector }),
      ],
      [
        'HorizontalPodAutoscaler',
        '/apis/autoscaling/v2/horizontalpodautoscalers',
        () => autoscaling.listHorizontalPodAutoscalerForAllNamespaces({ labelSelector }),
      ],
    ];
    for (const [kind, path, list] of owned) {
      const trim = (obj: KubernetesObject) => void trimInPlace(obj, kind);
      this.ownedInformers.set(kind, this.addInformer(path, list, toOwner, { labelSelector, trim }));
    }
    this.pods = this.addInformer<V1Pod>(
      '/api/v1/pods',
      () => core.listPodForAllNamespaces({ labelSelector }),
      (pod) => this.enqueue(keyOf(pod.metadata?.namespace, pod.metadata?.labels?.[LABEL_FUNCTION])),
      { labelSelector, trim: (pod) => void trimInPlace(pod, 'Pod') },
    );
    const { namespace, catalogConfigMap } = this.options;
    const fieldSelector = `metadata.name=${catalogConfigMap}`;
    this.catalogInformer = this.addInformer<V1ConfigMap>(
      `/api/v1/namespaces/${namespace}/configmaps`,
      () => core.listNamespacedConfigMap({ namespace, fieldSelector }),
      () => this.reloadCatalog(this.catalogInformer?.get(catalogConfigMap, namespace)),
      { fieldSelector },
    );
  }

  /** A bad catalog keeps the last good one: breaking every Function over a typo would be worse. */
  private reloadCatalog(cm: V1ConfigMap | undefined): void {
    const source = `ConfigMap ${this.options.namespace}/${this.options.catalogConfigMap}`;
    if (!cm) {
      this.catalog = DEFAULT_CATALOG;
      this.log.info({ source }, 'runtime catalog ConfigMap absent; using the built-in catalog');
    } else {
      try {
        this.catalog = parseCatalog(cm.data?.runtimes ?? '');
        this.log.info({ source, runtimes: this.catalog.runtimes.map((r) => r.id) }, 'runtime catalog loaded');
      } catch (err) {
        this.log.error(
          { source, error: describeError(err) },
          'runtime catalog rejected; keeping the previous one. Fix the "runtimes" key',
        );
        return;
      }
    }
    this.enqueueAllFunctions();
  }

  /**
   * On winning the Lease. The first time, sets up the reconcilers and starts the informers; after
   * a lost Lease (kube-apiserver unreachable past the renew deadline, or another instance took
   * over) the caches kept following their watches, so the workers simply start again with a resync:
   * no process restart, no relist of everything (chaos scenario 4).
   */
  private async startControllers(): Promise<void> {
    if (this.working || this.stopping) return;
    this.working = true;
    if (!this.cachesStarted) {
      // Shared: the Lease can be lost and won again while the first sync still runs.
      this.settingUp ??= this.setUpControllers();
      await this.settingUp;
      this.cachesStarted = true;
      this.log.info({ functions: this.functions?.list().length ?? 0 }, 'caches synced; starting workers');
    } else {
      this.log.info(
        { functions: this.functions?.list().length ?? 0 },
        'leading again; caches kept, starting workers',
      );
    }
    // Won back while the last loss still drains: the loops take new workers only after that.
    await this.pausing;
    // The Lease may have been lost while the caches synced.
    if (!this.working || this.stopping) return;
    this.functionLoop?.start(this.options.workers);
    // Triggers are few and cheap to reconcile next to Functions: a quarter of the workers each.
    this.triggers?.start(Math.max(1, Math.ceil(this.options.workers / 4)));
    this.resyncTimer = setInterval(() => this.resyncAll(), this.options.resyncSeconds * 1000);
    this.resyncAll();
  }

  /**
   * On losing the Lease: no new reconcile starts and those in flight finish, before another
   * instance can take over (the renew deadline is shorter than the lease). The informers go on.
   */
  private async pauseControllers(): Promise<void> {
    if (!this.working) return;
    this.working = false;
    this.log.warn('not the leader any more: no new reconciles, the ones in flight finish; caches kept');
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = undefined;
    const pausing = Promise.allSettled([this.functionLoop?.pause(), this.triggers?.pause()]).then(() => {
      if (this.pausing === pausing) this.pausing = undefined;
    });
    this.pausing = pausing;
    await pausing;
    this.log.info('reconciles in flight finished; waiting to win the Lease again');
  }

  private async setUpControllers(): Promise<void> {
    const applier = new Applier(this.clients.objects);
    const events = new EventRecorder(this.clients.core, this.options.identity, this.log);
    const reconciler = new FunctionReconciler({
      world: {
        fn: (ns, name) => this.functions?.get(name, ns),
        owned: (kind, ns, name) => this.ownedInformers.get(kind)?.get(name, ns),
        pods: (ns, name) =>
          (this.pods?.list(ns) ?? []).filter((p) => p.metadata?.labels?.[LABEL_FUNCTION] === name),
        catalog: () => this.catalog,
        catalogSource: `ConfigMap ${this.options.namespace}/${this.options.catalogConfigMap}`,
      },
      applier,
      custom: this.clients.custom,
      events,
      config: this.options.config,
      log: this.log,
    });
    this.functionLoop = new ReconcileLoop(
      'Function',
      (ns, name) => reconciler.reconcile(ns, name),
      this.metrics,
      this.log,
      (depth) => this.metrics.queueDepth.set(depth),
    );
    this.triggers = new TriggerControllers({
      clients: this.clients,
      addInformer: (path, list, onChange, selectors) => this.addInformer(path, list, onChange, selectors),
      fn: (ns, name) => this.functions?.get(name, ns),
      applier,
      events,
      config: this.options.config,
      metrics: this.metrics,
      log: this.log,
    });
    this.setupInformers();
    this.triggers.setupInformers();
    // The catalog first, so the first reconciles see the configured runtimes.
    await this.catalogInformer?.start();
    const rest = this.informers.filter((i) => i !== (this.catalogInformer as unknown));
    await Promise.all(rest.map((i) => i.start()));
  }

  private resyncAll(): void {
    this.enqueueAllFunctions();
    this.triggers?.enqueueAll();
  }
}

export function defaultIdentity(): string {
  return `${hostname()}_${process.pid}`;
}
