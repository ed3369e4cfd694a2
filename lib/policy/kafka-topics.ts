// Which Kafka topics a namespace's KafkaTriggers may read and dead-letter into. Checked by the
// webhook at admission and by the trigger consumer before it subscribes (a trigger stored while
// the webhook was down, or before the rule changed, must not read another tenant's topic).
import { type FieldError, forbidden, quote } from '../function/errors.js';
import type { KafkaTopicPolicy } from './config.js';

/** The dead-letter topic a trigger without `spec.deadLetterTopic` writes to. */
export function defaultDeadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** The patterns that apply to `namespace`, with `{namespace}` filled in. */
export function topicPatterns(policy: KafkaTopicPolicy, namespace: string): string[] {
  const own = Object.hasOwn(policy.namespaces, namespace) ? policy.namespaces[namespace] : undefined;
  return (own ?? policy.default).map((p) => p.replaceAll('{namespace}', namespace));
}

/** `*` allows every topic, `prefix*` those starting with prefix, anything else exactly that topic. */
export function topicMatches(pattern: string, topic: string): boolean {
  if (pattern.endsWith('*')) return topic.startsWith(pattern.slice(0, -1));
  return pattern === topic;
}

export function topicAllowed(policy: KafkaTopicPolicy, namespace: string, topic: string): boolean {
  return topicPatterns(policy, namespace).some((p) => topicMatches(p, topic));
}

interface TopicSpec {
  topic?: string;
  deadLetterTopic?: string;
}

/**
 * The topics of a KafkaTrigger (or a pubsub Function) in `namespace` that the policy refuses, as
 * FieldErrors. `dlqField` names where the dead-letter topic comes from when none is given (a
 * pubsub Function has no field of its own for it: it follows spec.topic).
 */
export function kafkaTopicErrors(
  namespace: string,
  spec: TopicSpec,
  policy: KafkaTopicPolicy,
  dlqField = 'spec.deadLetterTopic',
): FieldError[] {
  if (!spec.topic) return [];
  const patterns = topicPatterns(policy, namespace);
  const allowed = patterns.length > 0 ? patterns.join(', ') : '(none)';
  const errors: FieldError[] = [];
  const check = (field: string, topic: string, use: string): void => {
    if (patterns.some((p) => topicMatches(p, topic))) return;
    errors.push(
      forbidden(
        field,
        `${quote(topic)}: triggers in namespace ${namespace} may ${use} only the topics ${allowed}, so that one tenant cannot read or fill another's topics`,
        `use a topic matching ${allowed}, or ask the operator to allow it for ${namespace} (kafka.topicPolicy)`,
      ),
    );
  };
  check('spec.topic', spec.topic, 'read');
  const dlq = spec.deadLetterTopic ?? defaultDeadLetterTopic(spec.topic);
  check(
    spec.deadLetterTopic ? 'spec.deadLetterTopic' : dlqField,
    dlq,
    spec.deadLetterTopic ? 'dead-letter into' : 'dead-letter into (by default <topic>.dlq)',
  );
  return errors;
}
