// KafkaTriggers and seed-era pubsub Functions on the local platform. Given a broker
// (--kafka-brokers), the Kafka engine runs in-process and delivers to the functions' runtime
// processes; without one, each says in its status why nothing consumes its topic and which
// flag to set. Status is written as the cluster's kafka-trigger component decides it.
import type { Logger } from 'pino';
import type { FunctionConnections } from '../../lib/invoke/connections.js';
import {
  createKafkaTriggers,
  functionInfo,
  FunctionNotReady,
  triggerStatus,
  type Condition,
  type ConsumerState,
  type FunctionInfo,
  type KafkaTriggerObject,
  type TriggerConfig,
  type TriggerManager,
} from '../../kafka/index.js';
import { setCondition, statusChanged, type DecidedCondition } from '../../lib/k8s/conditions.js';
import type { FunctionSpec } from '../../lib/types.js';
import { prepareStatusUpdate } from '../api/meta.js';
import type { FunctionBackend } from '../api/subresources.js';
import {
  NotFound,
  ResourceVersionConflict,
  keyFields,
  type Store,
  type StoredObject,
} from '../store/store.js';

const TRIGGERS = 'kafkatriggers/';
const FUNCTIONS = 'functions/';

/** The condition a pubsub Function carries about its topic (Ready stays the runtime's). */
export const SUBSCRIBED = 'Subscribed';

export const NO_BROKER_REASON = 'NoKafkaBroker';
export const NO_BROKER_MESSAGE =
  'the local platform was started without a Kafka broker, so nothing consumes this topic; ' +
  'restart it with --kafka-brokers host:port (or set KUBELESS_KAFKA_BROKERS)';

export interface LocalKafkaOptions {
  store: Store;
  backend: FunctionBackend;
  logger: Logger;
  /** The platform's kept connections to runtime processes, shared with invoke, the gateway and CronJobs. */
  connections: FunctionConnections;
  /** host:port list; absent: the triggers stay idle and say so. */
  brokers?: string[];
}

interface Conditions {
  conditions?: Condition[];
}

function idle(generation: number): DecidedCondition {
  return {
    type: 'Ready',
    status: 'False',
    reason: NO_BROKER_REASON,
    message: NO_BROKER_MESSAGE,
    observedGeneration: generation,
  };
}

const generationOf = (o: StoredObject): number => (o.metadata as { generation?: number }).generation ?? 0;

export class LocalKafka {
  private manager: TriggerManager | undefined;
  private unwatch: (() => void) | undefined;

  constructor(private readonly opts: LocalKafkaOptions) {}

  start(): void {
    const { store, brokers, logger } = this.opts;
    if (brokers && brokers.length > 0) {
      this.manager = createKafkaTriggers({
        connection: { brokers, clientId: 'kubeless-local' },
        resolveUrl: (fn) => this.urlOf(fn.namespace, fn.name),
        connections: this.opts.connections,
        log: logger.child({ component: 'kafka-trigger' }),
        onStatus: (trigger, state, targets) => this.report(trigger, state, targets),
        onInvalid: (obj, err) => this.reportInvalid(obj, err.message),
      });
      logger.info({ brokers }, 'Kafka triggers and pubsub Functions are consumed from these brokers');
    }
    this.unwatch = store.watch(Number(store.resourceVersion), (ev) => {
      if (ev.key.startsWith(TRIGGERS)) this.syncTrigger(ev.key);
      else if (ev.key.startsWith(FUNCTIONS)) this.syncFunction(ev.key);
    });
    // Functions first, so that the first records of a trigger already find their targets.
    for (const f of store.list(FUNCTIONS))
      this.syncFunction(`${FUNCTIONS}${f.metadata.namespace}/${f.metadata.name}`);
    for (const t of store.list(TRIGGERS))
      this.syncTrigger(`${TRIGGERS}${t.metadata.namespace}/${t.metadata.name}`);
  }

  /** The runtime process of the function, or FunctionNotReady while it is starting or failing. */
  private urlOf(namespace: string, name: string): string {
    const ep = this.opts.backend.endpoint(namespace, name);
    if (ep.state === 'ready') return `http://127.0.0.1:${ep.port}/`;
    const why = ep.state === 'failed' ? `${ep.reason}: ${ep.message}` : ep.state;
    throw new FunctionNotReady(`function ${namespace}/${name} cannot take calls (${why})`);
  }

  private syncTrigger(key: string): void {
    const [, namespace = 'default', name = ''] = key.split('/');
    const obj = this.opts.store.get(key) as (KafkaTriggerObject & StoredObject) | undefined;
    if (!obj) {
      void this.manager?.deleteTrigger(namespace, name);
      return;
    }
    if (this.manager) {
      void this.manager.applyTrigger(obj);
      return;
    }
    this.write(key, (cur) => {
      const status = (cur.status ?? {}) as Conditions & { observedGeneration?: number; functions?: string[] };
      const conditions = setCondition(status.conditions, idle(generationOf(cur)), new Date());
      if (!statusChanged(status.conditions, conditions) && status.observedGeneration === generationOf(cur))
        return undefined;
      return { observedGeneration: generationOf(cur), conditions, functions: [] };
    });
  }

  private syncFunction(key: string): void {
    const [, namespace = 'default', name = ''] = key.split('/');
    const obj = this.opts.store.get(key) as (StoredObject & { spec?: FunctionSpec }) | undefined;
    if (!obj) {
      this.manager?.deleteFunction({ namespace, name });
      return;
    }
    const info = functionInfo(namespace, name, obj.metadata.labels as Record<string, string>, obj.spec);
    const topic = info.pubsubTopic;
    this.manager?.upsertFunction(info);
    if (this.manager && topic) return;
    // Without a broker a pubsub Function says why nothing arrives; a Function that stopped being
    // one loses the condition.
    this.writeSubscribed(key, topic ? { ...idle(generationOf(obj)), type: SUBSCRIBED } : undefined);
  }

  private report(trigger: TriggerConfig, state: ConsumerState, targets: FunctionInfo[]): void {
    if (trigger.pubsubFunction !== undefined) {
      const key = `${FUNCTIONS}${trigger.namespace}/${trigger.pubsubFunction}`;
      const [ready] = triggerStatus(state, targets, trigger.generation).conditions;
      if (ready) {
        const { lastTransitionTime: _decidedNow, ...decided } = ready;
        this.writeSubscribed(key, { ...decided, type: SUBSCRIBED });
      }
      return;
    }
    this.write(`${TRIGGERS}${trigger.namespace}/${trigger.name}`, (cur) => {
      const previous = (cur.status ?? {}) as Conditions;
      const status = triggerStatus(state, targets, generationOf(cur), previous.conditions);
      return statusChanged(cur.status, status) ? status : undefined;
    });
  }

  private reportInvalid(obj: KafkaTriggerObject, message: string): void {
    const key = `${TRIGGERS}${obj.metadata.namespace ?? 'default'}/${obj.metadata.name ?? ''}`;
    this.write(key, (cur) => {
      const status = (cur.status ?? {}) as Conditions;
      const condition: DecidedCondition = {
        type: 'Ready',
        status: 'False',
        reason: 'InvalidSpec',
        message,
        observedGeneration: generationOf(cur),
      };
      const conditions = setCondition(status.conditions, condition, new Date());
      return statusChanged(status.conditions, conditions)
        ? { observedGeneration: generationOf(cur), conditions }
        : undefined;
    });
  }

  /** Sets (or, with undefined, removes) a Function's Subscribed condition, leaving Ready to the controller. */
  private writeSubscribed(key: string, condition: DecidedCondition | undefined): void {
    this.write(key, (cur) => {
      const status = (cur.status ?? {}) as Conditions & Record<string, unknown>;
      const conditions = condition
        ? setCondition(status.conditions, { ...condition, observedGeneration: generationOf(cur) }, new Date())
        : (status.conditions ?? []).filter((c) => c.type !== SUBSCRIBED);
      if (!statusChanged(status.conditions, conditions)) return undefined;
      return { ...status, conditions };
    });
  }

  /** Read-modify-write of `status` through the store's optimistic concurrency; `next` returns undefined for "no change". */
  private write(key: string, next: (cur: StoredObject) => unknown): void {
    const attempt = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        const cur = this.opts.store.get(key);
        if (!cur) return;
        const status = next(cur);
        if (status === undefined) return;
        try {
          await this.opts.store.update(
            key,
            prepareStatusUpdate(cur, { ...cur, status } as StoredObject),
            cur.metadata.resourceVersion,
          );
          return;
        } catch (err) {
          if (err instanceof NotFound) return;
          if (!(err instanceof ResourceVersionConflict)) throw err;
        }
      }
    };
    attempt().catch((err: Error) =>
      this.opts.logger.error({ ...keyFields(key), err: err.message }, 'Kafka status write failed'),
    );
  }

  async stop(): Promise<void> {
    this.unwatch?.();
    await this.manager?.stop();
  }
}
