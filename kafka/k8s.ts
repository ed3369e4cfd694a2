import { CustomObjectsApi, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { GROUP, VERSION, type FunctionSpec } from '../lib/types.js';
import { PooledKubeConfig } from '../lib/k8s/agent-pool.js';
import { setCondition, statusChanged } from '../lib/k8s/conditions.js';
import { Informer } from '../lib/k8s/informer.js';
import { patchStatus } from '../lib/k8s/patch-status.js';
import { functionInfo, specForTriggers } from './function-info.js';
import type { TriggerManager } from './manager.js';
import { triggerStatus, type Condition, type TriggerStatus } from './status.js';
import type { FunctionInfo, KafkaTriggerObject, TriggerConfig } from './types.js';
import type { ConsumerState } from './consumer.js';

const FIELD_MANAGER = 'kubeless-kafka-trigger';

type TriggerResource = KafkaTriggerObject & KubernetesObject & { status?: { conditions?: Condition[] } };
type FunctionResource = KubernetesObject & { spec?: Partial<FunctionSpec> };

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
    // A pubsub Function has no KafkaTrigger object to report on; its consumer logs and metrics say it all.
    if (trigger.pubsubFunction !== undefined) return;
    const key = `${trigger.namespace}/${trigger.name}`;
    const status = triggerStatus(state, targets, trigger.generation, lastConditions.get(key));
    if (!statusChanged(written.get(key), status)) return;
    written.set(key, status);
    lastConditions.set(key, status.conditions);
    patchStatus(
      custom,
      FIELD_MANAGER,
      { plural: 'kafkatriggers', namespace: trigger.namespace, name: trigger.name },
      status,
    ).catch((err: Error) => {
      written.delete(key);
      log.warn(
        { namespace: trigger.namespace, trigger: trigger.name, err: err.message },
        'could not write KafkaTrigger status',
      );
    });
  };

  const writeInvalid = (obj: KafkaTriggerObject, error: Error): void => {
    const namespace = obj.metadata.namespace ?? 'default';
    const name = obj.metadata.name ?? '';
    const generation = obj.metadata.generation ?? 0;
    const key = `${namespace}/${name}`;
    const conditions = setCondition(
      (lastConditions.get(key) ?? []).filter((c) => c.type === 'Ready'),
      {
        type: 'Ready',
        status: 'False',
        reason: 'InvalidSpec',
        message: error.message,
        observedGeneration: generation,
      },
      new Date(),
    );
    written.delete(key);
    lastConditions.set(key, conditions);
    patchStatus(
      custom,
      FIELD_MANAGER,
      { plural: 'kafkatriggers', namespace, name },
      { observedGeneration: generation, conditions },
    ).catch((err: Error) =>
      log.warn({ namespace, trigger: name, err: err.message }, 'could not write KafkaTrigger status'),
    );
  };

  const toInfo = (o: FunctionResource): FunctionInfo =>
    functionInfo(o.metadata?.namespace ?? 'default', o.metadata?.name ?? '', o.metadata?.labels, o.spec);
  const functions = new Informer<FunctionResource>({
    kc,
    path: `${base}/functions`,
    list: list<FunctionResource>('functions'),
    log,
    onChange: (o, verb) =>
      verb === 'delete' ? manager.deleteFunction(toInfo(o)) : manager.upsertFunction(toInfo(o)),
    // The code need not sit in this cache.
    trim: (o) => {
      o.spec = specForTriggers(o.spec);
    },
  });

  const apply = (o: TriggerResource): void => {
    const key = `${o.metadata?.namespace}/${o.metadata?.name}`;
    if (o.status?.conditions) lastConditions.set(key, o.status.conditions);
    void manager.applyTrigger(o);
  };
  const triggers = new Informer<TriggerResource>({
    kc,
    path: `${base}/kafkatriggers`,
    list: list<TriggerResource>('kafkatriggers'),
    log,
    onChange: (o, verb) => {
      if (verb !== 'delete') {
        apply(o);
        return;
      }
      const key = `${o.metadata?.namespace}/${o.metadata?.name}`;
      written.delete(key);
      lastConditions.delete(key);
      void manager.deleteTrigger(o.metadata?.namespace ?? 'default', o.metadata?.name ?? '');
    },
  });

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
