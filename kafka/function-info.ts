// What the trigger engine keeps of a Function, built the same way from the Kubernetes cache, a
// standalone manifest file and the local platform's store.
import { functionPorts } from '../lib/function/ports.js';
import { pubsubTopic } from '../lib/function/pubsub.js';
import type { FunctionSpec } from '../lib/types.js';
import type { FunctionInfo } from './types.js';

export function functionInfo(
  namespace: string,
  name: string,
  labels: Record<string, string> | undefined,
  spec: Partial<FunctionSpec> | undefined,
): FunctionInfo {
  const topic = pubsubTopic(spec);
  return {
    namespace,
    name,
    labels: labels ?? {},
    servicePort: functionPorts(spec).servicePort,
    ...(topic ? { pubsubTopic: topic } : {}),
  };
}

/**
 * The only parts of a Function's spec `functionInfo` reads, so a cache of Functions need not keep
 * their code: spec.type and spec.topic (pubsub), spec.service (the port calls go to).
 */
export function specForTriggers(spec: Partial<FunctionSpec> | undefined): Partial<FunctionSpec> {
  return { type: spec?.type, topic: spec?.topic, service: spec?.service };
}
