import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { FunctionConnections } from '../lib/invoke/connections.js';
import { pubsubGroupId } from '../lib/function/pubsub.js';
import { TriggerConsumer, type ConsumerOptions, type ConsumerState } from './consumer.js';
import type { KafkaTopicPolicy } from '../lib/policy/config.js';
import { kafkaTopicErrors } from '../lib/policy/kafka-topics.js';
import { errField, objectFields } from '../lib/server/log.js';
import { KafkaMetrics } from './metrics.js';
import { needsRestart, selectTargets, triggerConfig, TriggerError } from './trigger.js';
import type { FunctionInfo, FunctionRef, KafkaTriggerObject, TriggerConfig, UrlResolver } from './types.js';

export interface TriggerManagerOptions {
  kafka: Kafka;
  resolveUrl: UrlResolver;
  /** Kept connections to functions (the local platform shares its own); absent: Kafka's own. */
  connections?: FunctionConnections;
  log: Logger;
  metrics?: KafkaMetrics;
  /**
   * Called whenever a trigger's consumer state or its set of functions changes. For a pubsub
   * Function's implicit trigger, `trigger.pubsubFunction` names the Function.
   */
  onStatus?(trigger: TriggerConfig, state: ConsumerState, targets: FunctionInfo[]): void;
  /** Called when a trigger object is invalid, with the field and the fix. */
  onInvalid?(obj: KafkaTriggerObject, error: TriggerError): void;
  commitIntervalMs?: number;
  /** Consumer tuning, for the bench's batching measurements (see ConsumerOptions). */
  consumer?: Pick<ConsumerOptions, 'maxBufferedRecords' | 'maxBufferedBytes' | 'maxBytesPerPartition'>;
  /** Topics each namespace may use (--policy-file); absent: every topic. */
  topicPolicy?: KafkaTopicPolicy;
}

export type TriggerChange = 'start' | 'restart' | 'selector' | 'none';

/** What applying `next` over the running `current` config takes (pure). */
export function planChange(current: TriggerConfig | undefined, next: TriggerConfig): TriggerChange {
  if (!current) return 'start';
  if (needsRestart(current, next)) return 'restart';
  return JSON.stringify(current.functionSelector) === JSON.stringify(next.functionSelector)
    ? 'none'
    : 'selector';
}

const refKey = (r: FunctionRef): string => `${r.namespace}/${r.name}`;
/** Keys of implicit triggers cannot collide with `<namespace>/<name>` of KafkaTriggers. */
const pubsubKey = (r: FunctionRef): string => `pubsub:${r.namespace}/${r.name}`;

/**
 * The implicit trigger of a seed-era pubsub Function: its topic, delivered to it alone, with the
 * KafkaTrigger defaults. The selector is never evaluated (targets come from the Function itself).
 */
export function pubsubTrigger(fn: FunctionInfo): TriggerConfig | undefined {
  if (!fn.pubsubTopic) return undefined;
  const config = triggerConfig(
    {
      metadata: { name: fn.name, namespace: fn.namespace },
      spec: { topic: fn.pubsubTopic, functionSelector: { matchLabels: { 'kubeless.io/function': fn.name } } },
    },
    pubsubGroupId(fn.namespace, fn.name),
  );
  return { ...config, pubsubFunction: fn.name };
}

/**
 * The set of running trigger consumers, kept equal to the set of KafkaTriggers it is told about
 * plus one per pubsub Function, and the functions they select, followed live. Knows nothing of
 * where objects come from: the Kubernetes informers, a manifest file and the local platform's
 * store all feed it the same way.
 */
export class TriggerManager {
  readonly metrics: KafkaMetrics;
  private readonly consumers = new Map<string, TriggerConsumer>();
  private readonly configs = new Map<string, TriggerConfig>();
  private readonly functions = new Map<string, FunctionInfo>();

  constructor(private readonly opts: TriggerManagerOptions) {
    this.metrics = opts.metrics ?? new KafkaMetrics();
  }

  targetsOf(trigger: TriggerConfig): FunctionInfo[] {
    if (trigger.pubsubFunction !== undefined) {
      const fn = this.functions.get(refKey({ namespace: trigger.namespace, name: trigger.pubsubFunction }));
      return fn ? [fn] : [];
    }
    return selectTargets(trigger, this.functions.values());
  }

  private report(key: string): void {
    const consumer = this.consumers.get(key);
    const config = this.configs.get(key);
    if (consumer && config) this.opts.onStatus?.(config, consumer.current(), this.targetsOf(config));
  }

  upsertFunction(fn: FunctionInfo): void {
    this.functions.set(refKey(fn), { ...fn, labels: { ...fn.labels } });
    this.syncPubsub(fn);
    this.reportNamespace(fn.namespace);
  }

  deleteFunction(ref: FunctionRef): void {
    this.functions.delete(refKey(ref));
    void this.stopTrigger(pubsubKey(ref));
    this.reportNamespace(ref.namespace);
  }

  /** Replaces the whole function set (a relist). */
  setFunctions(fns: FunctionInfo[]): void {
    const before = [...this.functions.values()];
    this.functions.clear();
    for (const fn of fns) this.functions.set(refKey(fn), { ...fn, labels: { ...fn.labels } });
    for (const fn of before) if (!this.functions.has(refKey(fn))) void this.stopTrigger(pubsubKey(fn));
    for (const fn of fns) this.syncPubsub(fn);
    for (const key of this.configs.keys()) this.report(key);
  }

  /** Starts, restarts or stops a Function's implicit trigger as its spec.type/topic say. */
  private syncPubsub(fn: FunctionInfo): void {
    const key = pubsubKey(fn);
    let config: TriggerConfig | undefined;
    try {
      const wanted = pubsubTrigger(fn);
      if (wanted) this.checkTopics(wanted);
      config = wanted;
    } catch (err) {
      // The webhook refuses a bad topic; a Function stored before the rule came is logged, not served.
      this.opts.log.warn(
        { ...objectFields({ kind: 'Function', namespace: fn.namespace, name: fn.name }), ...errField(err) },
        'pubsub Function has an invalid topic; not consuming it',
      );
    }
    if (!config) {
      if (this.configs.has(key)) void this.stopTrigger(key);
      return;
    }
    void this.run(key, config);
  }

  private reportNamespace(namespace: string): void {
    for (const [key, config] of this.configs) if (config.namespace === namespace) this.report(key);
  }

  /** Starts, restarts or retargets the trigger's consumer; an invalid object stops it. */
  async applyTrigger(obj: KafkaTriggerObject): Promise<TriggerConfig | TriggerError> {
    let config: TriggerConfig;
    try {
      config = triggerConfig(obj);
      this.checkTopics(config);
    } catch (err) {
      if (!(err instanceof TriggerError)) throw err;
      this.opts.log.warn(
        { namespace: obj.metadata.namespace, trigger: obj.metadata.name, err: err.message },
        'invalid KafkaTrigger',
      );
      await this.deleteTrigger(obj.metadata.namespace ?? 'default', obj.metadata.name ?? '');
      this.opts.onInvalid?.(obj, err);
      return err;
    }
    await this.run(`${config.namespace}/${config.name}`, config);
    return config;
  }

  private async run(key: string, config: TriggerConfig): Promise<void> {
    const change = planChange(this.configs.get(key), config);
    this.configs.set(key, config);
    if (change === 'restart') await this.stopConsumer(key);
    if (change === 'start' || change === 'restart') this.startConsumer(key, config);
    else this.report(key);
  }

  /** Re-checks the webhook's topic rule: a trigger admitted without it must not read another tenant's topic. */
  private checkTopics(config: TriggerConfig): void {
    if (!this.opts.topicPolicy) return;
    const spec = { topic: config.topic, deadLetterTopic: config.deadLetterTopic };
    const [refused] = kafkaTopicErrors(config.namespace, spec, this.opts.topicPolicy);
    if (refused) throw new TriggerError(refused.field, `${refused.message}; ${refused.fix}`);
  }

  private startConsumer(key: string, config: TriggerConfig): void {
    const consumer = new TriggerConsumer({
      kafka: this.opts.kafka,
      trigger: config,
      // Read through the map so a selector change applies to the very next record.
      targets: () => {
        const current = this.configs.get(key);
        return current ? this.targetsOf(current) : [];
      },
      resolveUrl: this.opts.resolveUrl,
      connections: this.opts.connections,
      metrics: this.metrics,
      log: this.opts.log.child(
        config.pubsubFunction === undefined
          ? objectFields({ kind: 'KafkaTrigger', namespace: config.namespace, name: config.name })
          : {
              ...objectFields({ kind: 'Function', namespace: config.namespace, name: config.pubsubFunction }),
              topic: config.topic,
            },
      ),
      onState: () => this.report(key),
      commitIntervalMs: this.opts.commitIntervalMs,
      ...this.opts.consumer,
    });
    this.consumers.set(key, consumer);
    consumer.start();
  }

  private async stopConsumer(key: string): Promise<void> {
    const consumer = this.consumers.get(key);
    this.consumers.delete(key);
    await consumer?.stop();
  }

  private async stopTrigger(key: string): Promise<void> {
    this.configs.delete(key);
    await this.stopConsumer(key);
  }

  async deleteTrigger(namespace: string, name: string): Promise<void> {
    await this.stopTrigger(`${namespace}/${name}`);
  }

  /** Current consumer state of every trigger (pubsub Functions' too), for /healthz and status writers. */
  states(): { trigger: TriggerConfig; state: ConsumerState; targets: FunctionInfo[] }[] {
    const out = [];
    for (const [key, consumer] of this.consumers) {
      const trigger = this.configs.get(key);
      if (trigger) out.push({ trigger, state: consumer.current(), targets: this.targetsOf(trigger) });
    }
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.consumers.keys()].map((k) => this.stopConsumer(k)));
    this.configs.clear();
  }
}
