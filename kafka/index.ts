// The Kafka trigger engine's public surface, for `kubeless kafka-trigger` and the local platform
// (`kubeless local --kafka-brokers`): build a TriggerManager, feed it KafkaTriggers and Functions.
export { TriggerManager, planChange, type TriggerManagerOptions } from './manager.js';
export { kafkaClient, parseBrokers, saslFromEnv, type KafkaConnection } from './client.js';
export { KafkaMetrics } from './metrics.js';
export { triggerStatus, type Condition, type TriggerStatus } from './status.js';
export { triggerConfig, selectorMatches, groupIdFor, TriggerError } from './trigger.js';
export { serviceUrlResolver, templateUrlResolver } from './urls.js';
export { register } from './command.js';
export type { ConsumerState } from './consumer.js';
export type { FunctionInfo, FunctionRef, KafkaTriggerObject, TriggerConfig, UrlResolver } from './types.js';
