// The Kafka trigger engine's public surface, for `kubeless kafka-trigger` and the local platform
// (`kubeless local --kafka-brokers`): build a TriggerManager, feed it KafkaTriggers and Functions.
import type { Logger } from 'pino';
import { kafkaClient, type KafkaConnection } from './client.js';
import { TriggerManager, type TriggerManagerOptions } from './manager.js';
import type { UrlResolver } from './types.js';

export { TriggerManager, planChange, type TriggerManagerOptions } from './manager.js';
export { kafkaClient, parseBrokers, saslFromEnv, type KafkaConnection } from './client.js';
export { KafkaMetrics } from './metrics.js';
export { triggerStatus, type Condition, type TriggerStatus } from './status.js';
export { triggerConfig, selectorMatches, groupIdFor, TriggerError } from './trigger.js';
export { serviceUrlResolver, templateUrlResolver } from './urls.js';
export { functionInfo } from './function-info.js';
export { register } from './command.js';
export type { ConsumerState } from './consumer.js';
export {
  FunctionNotReady,
  type FunctionInfo,
  type FunctionRef,
  type KafkaTriggerObject,
  type TriggerConfig,
  type UrlResolver,
} from './types.js';

/**
 * For `kubeless local --kafka-brokers`: one manager over the given brokers, delivering to URLs
 * from `resolveUrl` (the local platform's port for each function). Feed it with
 * `applyTrigger(obj)` / `deleteTrigger(ns, name)` on KafkaTrigger changes and
 * `upsertFunction(functionInfo(namespace, name, labels, spec))` / `deleteFunction(ref)` on Function
 * changes (a pubsub Function gets its implicit trigger);
 * `stop()` on shutdown; `metrics.registry` for /metrics; `states()` for status.
 */
export function createKafkaTriggers(
  opts: {
    connection: KafkaConnection;
    resolveUrl: UrlResolver;
    log: Logger;
  } & Pick<TriggerManagerOptions, 'onStatus' | 'onInvalid' | 'commitIntervalMs' | 'connections'>,
): TriggerManager {
  const { connection, ...rest } = opts;
  return new TriggerManager({ kafka: kafkaClient(connection, opts.log), ...rest });
}
