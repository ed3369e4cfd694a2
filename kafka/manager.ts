import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { TriggerConsumer, type ConsumerState } from './consumer.js';
import { KafkaMetrics } from './metrics.js';
import { needsRestart, selectTargets, triggerConfig, TriggerError } from './trigger.js';
import type { FunctionInfo, FunctionRef, KafkaTriggerObject, TriggerConfig, UrlResolver } from './types.js';

export interface TriggerManagerOptions {
  kafka: Kafka;
  resolveUrl: UrlResolver;
  log: Logger;
  metrics?: KafkaMetrics;
  /** Called whenever a trigger's consumer state or its set of functions changes. */
  onStatus?(trigger: TriggerConfig, state: ConsumerState, targets: FunctionInfo[]): void;
  /** Called when a trigger object is invalid, with the field and the fix. */
  onInvalid?(obj: KafkaTriggerObject, error: TriggerError): void;
  slowMs?: number;
  commitIntervalMs?: number;
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

/**
 * The set of running trigger consumers, kept equal to the set of KafkaTriggers it is told about,
 * and the functions they select, followed live. Knows nothing of where objects come from: the
 * Kubernetes informers, a manifest file and the local platform's store all feed it the same way.
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
    return selectTargets(trigger, this.functions.values());
  }

  private report(key: string): void {
    const consumer = this.consumers.get(key);
    const config = this.configs.get(key);
    if (consumer && config) this.opts.onStatus?.(config, consumer.current(), this.targetsOf(config));
  }

  upsertFunction(fn: FunctionInfo): void {
    this.functions.set(refKey(fn), { ...fn, labels: { ...fn.labels } });
    this.reportNamespace(fn.namespace);
  }

  deleteFunction(ref: FunctionRef): void {
    this.functions.delete(refKey(ref));
    this.reportNamespace(ref.namespace);
  }

  /** Replaces the whole function set (a relist). */
  setFunctions(fns: FunctionInfo[]): void {
    this.functions.clear();
    for (const fn of fns) this.functions.set(refKey(fn), { ...fn, labels: { ...fn.labels } });
    for (const key of this.configs.keys()) this.report(key);
  }

  private reportNamespace(namespace: string): void {
    for (const [key, config] of this.configs) if (config.namespace === namespace) this.report(key);
  }

  /** Starts, restarts or retargets the trigger's consumer; an invalid object stops it. */
  async applyTrigger(obj: KafkaTriggerObject): Promise<TriggerConfig | TriggerError> {
    let config: TriggerConfig;
    try {
      config = triggerConfig(obj);
    } catch (err) {
      if (!(err instanceof TriggerError)) throw err;
      this.opts.log.warn(
        { namespace: obj.metadata.namespace, name: obj.metadata.name, err: err.message },
        'invalid KafkaTrigger',
      );
      await this.deleteTrigger(obj.metadata.namespace ?? 'default', obj.metadata.name ?? '');
      this.opts.onInvalid?.(obj, err);
      return err;
    }
    const key = `${config.namespace}/${config.name}`;
    const change = planChange(this.configs.get(key), config);
    this.configs.set(key, config);
    if (change === 'restart') await this.stopConsumer(key);
    if (change === 'start' || change === 'restart') this.startConsumer(key, config);
    else this.report(key);
    return config;
  }

  private startConsumer(key: string, config: TriggerConfig): void {
    const consumer = new TriggerConsumer({
      kafka: this.opts.kafka,
      // Read through the map so a selector change applies to the very next record.
      trigger: config,
      targets: () => {
        const current = this.configs.get(key);
        return current ? this.targetsOf(current) : [];
      },
      resolveUrl: this.opts.resolveUrl,
      metrics: this.metrics,
      log: this.opts.log.child({ namespace: config.namespace, name: config.name }),
      onState: () => this.report(key),
      slowMs: this.opts.slowMs,
      commitIntervalMs: this.opts.commitIntervalMs,
    });
    this.consumers.set(key, consumer);
    consumer.start();
  }

  private async stopConsumer(key: string): Promise<void> {
    const consumer = this.consumers.get(key);
    this.consumers.delete(key);
    await consumer?.stop();
  }

  async deleteTrigger(namespace: string, name: string): Promise<void> {
    const key = `${namespace}/${name}`;
    this.configs.delete(key);
    await this.stopConsumer(key);
  }

  /** Current consumer state of every trigger, for /healthz and status writers. */
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
