// Seed-era pubsub Functions (`spec.type: pubsub` + `spec.topic`): the original Kubeless's second
// kind of function, which received the records of a topic. Both platforms deliver them as an
// implicit KafkaTrigger; this is the one place that says what such a Function is and asks for.
import type { FunctionSpec } from '../types.js';
import { type FieldError, invalid, quote, required } from './errors.js';
import { TOPIC_PATTERN } from './triggers.js';

const TOPIC_RE = new RegExp(TOPIC_PATTERN);

/** `PubSub` (what the original CLI printed), `pubsub` and `PUBSUB` all mean it. */
export function isPubsub(spec: Pick<FunctionSpec, 'type'> | undefined): boolean {
  return typeof spec?.type === 'string' && spec.type.toLowerCase() === 'pubsub';
}

/** The topic a pubsub Function receives, or undefined for any other Function. */
export function pubsubTopic(spec: Pick<FunctionSpec, 'type' | 'topic'> | undefined): string | undefined {
  return isPubsub(spec) && spec?.topic ? spec.topic : undefined;
}

/**
 * The consumer group of a pubsub Function. A dot cannot occur in a namespace or a Function name
 * (DNS-1035 labels), so this can never collide with a KafkaTrigger's `kubeless-<ns>-<name>`.
 */
export function pubsubGroupId(namespace: string, name: string): string {
  return `kubeless-pubsub.${namespace}.${name}`;
}

export function pubsubRules(spec: FunctionSpec): FieldError[] {
  if (!isPubsub(spec)) return [];
  if (!spec.topic) {
    return [
      required(
        'spec.topic',
        'name the Kafka topic whose records this pubsub function receives, or drop type: pubsub',
      ),
    ];
  }
  if (!TOPIC_RE.test(spec.topic)) {
    return [
      invalid(
        'spec.topic',
        `${quote(spec.topic)} is not a Kafka topic name`,
        'use 1-249 characters of [a-zA-Z0-9._-]',
      ),
    ];
  }
  return [];
}
