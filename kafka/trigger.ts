import { DEFAULT_TIMEOUT_SECONDS } from '../lib/function/timeout.js';
import type { FunctionInfo, KafkaTriggerObject, LabelSelector, Ordering, TriggerConfig } from './types.js';

export const DEFAULTS = {
  maxAttempts: 5,
  initialBackoffMs: 200,
  maxBackoffMs: 30_000,
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  maxInFlight: 64,
  ordering: 'partition',
} as const;

const ORDERINGS: readonly Ordering[] = ['partition', 'key', 'none'];

export class TriggerError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Kafka's own limit on topic names: 249 characters of [a-zA-Z0-9._-]. */
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

export function groupIdFor(namespace: string, name: string): string {
  return `kubeless-${namespace}-${name}`;
}

function positiveInt(field: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new TriggerError(field, `must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function ordering(value: unknown): Ordering {
  if (value === undefined || value === null) return DEFAULTS.ordering;
  const mode = ORDERINGS.find((o) => o === value);
  if (!mode)
    throw new TriggerError(
      'spec.ordering',
      `must be one of ${ORDERINGS.join(', ')}, got ${JSON.stringify(value)}`,
    );
  return mode;
}

/**
 * Validates a KafkaTrigger and fills in the defaults; throws TriggerError naming the bad field.
 * `groupId` replaces the trigger's own consumer group (pubsub Functions have theirs).
 */
export function triggerConfig(obj: KafkaTriggerObject, groupId?: string): TriggerConfig {
  const name = obj.metadata?.name;
  const namespace = obj.metadata?.namespace ?? 'default';
  if (!name) throw new TriggerError('metadata.name', 'is required');
  const spec = obj.spec ?? {};
  const topic = spec.topic;
  if (!topic || !TOPIC.test(topic)) {
    throw new TriggerError(
      'spec.topic',
      `must be a Kafka topic name ([a-zA-Z0-9._-], 1-249 characters), got ${JSON.stringify(topic)}`,
    );
  }
  const selector = spec.functionSelector ?? {};
  if (
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  ) {
    // Same rule as the CRD schema: an empty selector would call every function of the namespace.
    throw new TriggerError(
      'spec.functionSelector',
      'must select at least one label, e.g. matchLabels: {function: my-fn}',
    );
  }
  const dlq = spec.deadLetterTopic ?? `${topic}.dlq`;
  if (!TOPIC.test(dlq))
    throw new TriggerError('spec.deadLetterTopic', `must be a Kafka topic name, got ${JSON.stringify(dlq)}`);
  if (dlq === topic)
    throw new TriggerError(
      'spec.deadLetterTopic',
      'must differ from spec.topic, or failures would loop forever',
    );
  const initialBackoffMs = positiveInt(
    'spec.initialBackoffMs',
    spec.initialBackoffMs,
    DEFAULTS.initialBackoffMs,
    3_600_000,
  );
  const maxBackoffMs = positiveInt(
    'spec.maxBackoffMs',
    spec.maxBackoffMs,
    Math.max(DEFAULTS.maxBackoffMs, initialBackoffMs),
    3_600_000,
  );
  if (maxBackoffMs < initialBackoffMs)
    throw new TriggerError('spec.maxBackoffMs', 'must be at least spec.initialBackoffMs');
  return {
    namespace,
    name,
    generation: obj.metadata.generation ?? 0,
    topic,
    groupId: groupId ?? groupIdFor(namespace, name),
    functionSelector: selector,
    deadLetterTopic: dlq,
    maxAttempts: positiveInt('spec.maxAttempts', spec.maxAttempts, DEFAULTS.maxAttempts, 100),
    initialBackoffMs,
    maxBackoffMs,
    timeoutMs:
      positiveInt('spec.timeoutSeconds', spec.timeoutSeconds, DEFAULTS.timeoutSeconds, 86_400) * 1000,
    maxInFlight: positiveInt('spec.maxInFlight', spec.maxInFlight, DEFAULTS.maxInFlight, 10_000),
    ordering: ordering(spec.ordering),
  };
}

/** Kubernetes label-selector semantics (an empty selector would match everything; triggerConfig refuses one). */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(labels[req.key] ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[req.key] ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Functions of the trigger's namespace that its selector picks, in a stable order. */
export function selectTargets(trigger: TriggerConfig, functions: Iterable<FunctionInfo>): FunctionInfo[] {
  const picked: FunctionInfo[] = [];
  for (const fn of functions) {
    if (fn.namespace === trigger.namespace && selectorMatches(trigger.functionSelector, fn.labels))
      picked.push(fn);
  }
  return picked.sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether a running consumer must be rebuilt: anything but the selector changes its wiring. */
export function needsRestart(a: TriggerConfig, b: TriggerConfig): boolean {
  const { functionSelector: _a, generation: _ga, ...restA } = a;
  const { functionSelector: _b, generation: _gb, ...restB } = b;
  return JSON.stringify(restA) !== JSON.stringify(restB);
}
