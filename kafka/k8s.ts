import {
  CustomObjectsApi,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
  type Informer,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { PooledKubeConfig } from '../lib/k8s/agent-pool.js';
import type { Logger } from 'pino';
import type { TriggerManager } from './manager.js';
import { statusChanged, triggerStatus, type Condition, type TriggerStatus } from './status.js';
import type { FunctionInfo, KafkaTriggerObject, TriggerConfig } from './types.js';
import type { ConsumerState } from './consumer.js';

const GROUP = 'kubeless.io';
const VERSION = 'v1beta1';
const FIELD_MANAGER = 'kubeless-kafka-trigger';

type TriggerResource = KafkaTriggerObject & KubernetesObject & { status?: { conditions?: Condition[] } };
type FunctionResource = KubernetesObject;

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && 'body' in err) {
    const body = (err as { body?: unknown }).body;
    const msg = typeof body === 'string' ? body : JSON.stringify(body);
    return `HTTP ${String((err as { code: unknown }).code)}: ${msg.slice(0, 300)}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** An informer that comes back after errors (client-node's stops for good on any error but 410). */
function resilient<T extends KubernetesObject>(informer: Informer<T>, what: string, log: Logger): void {
  let delay = 500;
  informer.on('error', (err: unknown) => {
    log.warn({ watch: what, err: describe(err), retryInMs: delay }, 'watch failed; reconnecting');
    setTimeout(() => {
      void informer.start().then(
        () => (delay = 500),
        () => undefined,
      );
    }, delay);
    delay = Math.min(30_000, delay * 2);
  });
  informer.on('connect', () => (delay = 500));
}

export interface KubeModeOptions {
  manager: TriggerManager;
  log: Logger;
  /** Watch one namespace only (the chart's single-namespace mode); all when absent. */
  namespace?: string;
  kubeconfig?: string;
}

export interface KubeMode {
  /** Writes one trigger's status now (the manager calls this on every state change). */
  writeStatus(trigger: TriggerConfig, state: ConsumerState, targets: FunctionInfo[]): void;
  /** Marks a trigger whose spec cannot be served: Ready=False, reason InvalidSpec, the field and fix. */
  writeInvalid(obj: KafkaTriggerObject, error: Error): void;
  stop(): Promise<void>;
}

/**
 * The cluster mode: KafkaTriggers and Functions followed with informers, every change fed to the
 * manager, and the trigger status (Ready condition, matched functions) written back through the
 * KafkaTrigger status subresource with a merge patch.
 */
export async function startKubeMode(opts: KubeModeOptions): Promise<KubeMode> {
  // Keep-alive connections shared by every call (lib/k8s/agent-pool.ts says why).
  const kc = new PooledKubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  const custom = kc.makeApiClient(CustomObjectsApi);
  const { manager, log, namespace } = opts;
  const base = namespace ? `/apis/${GROUP}/${VERSION}/namespaces/${namespace}` : `/apis/${GROUP}/${VERSION}`;
  const list =
    <T extends KubernetesObject>(plural: string) =>
    (): Promise<KubernetesListObject<T>> =>
      (namespace
        ? custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })
        : custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as Promise<
        KubernetesListObject<T>
      >;

  const written = new Map<string, TriggerStatus>();
  const lastConditions = new Map<string, Condition[]>();
  const writeStatus = (trigger: TriggerConfig, state: ConsumerState, targets: FunctionInfo[]): void => {
    const key = `${trigger.namespace}/${trigger.name}`;
    const status = triggerStatus(state, targets, trigger.generation, lastConditions.get(key));
    if (!statusChanged(written.get(key), status)) return;
    written.set(key, status);
    lastConditions.set(key, status.conditions);
    custom
      .patchNamespacedCustomObjectStatus(
        {
          group: GROUP,
          version: VERSION,
          namespace: trigger.namespace,
          plural: 'kafkatriggers',
          name: trigger.name,
          body: { status },
          fieldManager: FIELD_MANAGER,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
      .catch((err: unknown) => {
        written.delete(key);
        log.warn(
          { namespace: trigger.namespace, name: trigger.name, err: describe(err) },
          'could not write KafkaTrigger status',
        );
      });
  };

  const writeInvalid = (obj: KafkaTriggerObject, error: Error): void => {
    const namespace = obj.metadata.namespace ?? 'default';
    const name = obj.metadata.name ?? '';
    const generation = obj.metadata.generation ?? 0;
    const condition: Condition = {
      type: 'Ready',
      status: 'False',
      reason: 'InvalidSpec',
      message: error.message,
      lastTransitionTime: new Date().toISOString(),
      observedGeneration: generation,
    };
    written.delete(`${namespace}/${name}`);
    custom
      .patchNamespacedCustomObjectStatus(
        {
          group: GROUP,
          version: VERSION,
          namespace,
          plural: 'kafkatriggers',
          name,
          body: { status: { observedGeneration: generation, conditions: [condition] } },
          fieldManager: FIELD_MANAGER,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
      .catch((err: unknown) =>
        log.warn({ namespace, name, err: describe(err) }, 'could not write KafkaTrigger status'),
      );
  };

  const functions = makeInformer<FunctionResource>(
    kc,
    `${base}/functions`,
    list<FunctionResource>('functions'),
  );
  const toInfo = (o: FunctionResource): FunctionInfo => ({
    namespace: o.metadata?.namespace ?? 'default',
    name: o.metadata?.name ?? '',
    labels: o.metadata?.labels ?? {},
  });
  functions.on('add', (o) => manager.upsertFunction(toInfo(o)));
  functions.on('update', (o) => manager.upsertFunction(toInfo(o)));
  functions.on('delete', (o) => manager.deleteFunction(toInfo(o)));
  resilient(functions, 'functions', log);

  const triggers = makeInformer<TriggerResource>(
    kc,
    `${base}/kafkatriggers`,
    list<TriggerResource>('kafkatriggers'),
  );
  const apply = (o: TriggerResource): void => {
    const key = `${o.metadata?.namespace}/${o.metadata?.name}`;
    if (o.status?.conditions) lastConditions.set(key, o.status.conditions);
    void manager.applyTrigger(o);
  };
  triggers.on('add', apply);
  triggers.on('update', apply);
  triggers.on('delete', (o) => {
    const key = `${o.metadata?.namespace}/${o.metadata?.name}`;
    written.delete(key);
    lastConditions.delete(key);
    void manager.deleteTrigger(o.metadata?.namespace ?? 'default', o.metadata?.name ?? '');
  });
  resilient(triggers, 'kafkatriggers', log);

  // Functions first, so the first records of a trigger already see its targets.
  await functions.start();
  await triggers.start();
  log.info({ namespace: namespace ?? '(all)' }, 'watching KafkaTriggers and Functions');
  return {
    writeStatus,
    writeInvalid,
    stop: async () => {
      await triggers.stop();
      await functions.stop();
    },
  };
}
