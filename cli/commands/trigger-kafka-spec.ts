import { API_VERSION, type KafkaTriggerSpec as GeneratedKafkaTriggerSpec } from '../../lib/types.js';
import { labelKeyProblem, labelValueProblem } from '../../lib/function/labels.js';
import { CliError } from '../errors.js';
import { parseDuration } from '../../lib/server/flags.js';

export interface KafkaTriggerFlags {
  functionSelector?: string;
  triggerTopic?: string;
  deadLetterTopic?: string;
  maxAttempts?: string;
  initialBackoffMs?: string;
  maxBackoffMs?: string;
  timeout?: string;
  maxInFlight?: string;
  ordering?: string;
}

// Partial: flags fill in the fields one by one; the server validates the whole.
export type KafkaTriggerSpec = Partial<GeneratedKafkaTriggerSpec>;

/** `app=sink,tier=backend` (the original Kubeless flag's form) into `matchLabels`. */
export function parseSelector(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.indexOf('=');
    const key = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    if (i <= 0 || labelKeyProblem(key) !== undefined || labelValueProblem(value) !== undefined) {
      throw new CliError(
        `--function-selector: ${JSON.stringify(part)} is not label=value (e.g. --function-selector app=sink,tier=backend)`,
      );
    }
    labels[key] = value;
  }
  if (Object.keys(labels).length === 0)
    throw new CliError('--function-selector needs at least one label=value');
  return labels;
}

function int(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new CliError(`${flag} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * A duration flag as the whole number of `unit` its spec field holds (`30s`, `1m`; a bare number
 * is already in that unit), as text for the range check below.
 */
function durationIn(value: string | undefined, flag: string, unit: 'ms' | 's'): string | undefined {
  if (value === undefined) return undefined;
  try {
    const ms = parseDuration(value, flag, { bare: unit, wholeSeconds: unit === 's' });
    return String(unit === 's' ? ms / 1000 : ms);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

const ORDERINGS = ['partition', 'key', 'none'] as const;

/** The spec fields the flags set; absent flags leave their fields out (so update merges). */
export function specFromFlags(flags: KafkaTriggerFlags): KafkaTriggerSpec {
  const spec: KafkaTriggerSpec = {};
  if (flags.triggerTopic !== undefined) {
    if (!TOPIC.test(flags.triggerTopic))
      throw new CliError(
        `--trigger-topic ${JSON.stringify(flags.triggerTopic)} is not a Kafka topic name ([a-zA-Z0-9._-])`,
      );
    spec.topic = flags.triggerTopic;
  }
  if (flags.functionSelector !== undefined)
    spec.functionSelector = { matchLabels: parseSelector(flags.functionSelector) };
  if (flags.deadLetterTopic !== undefined) {
    if (!TOPIC.test(flags.deadLetterTopic))
      throw new CliError(
        `--dead-letter-topic ${JSON.stringify(flags.deadLetterTopic)} is not a Kafka topic name`,
      );
    spec.deadLetterTopic = flags.deadLetterTopic;
  }
  const numbers: [keyof KafkaTriggerSpec, string | undefined, string, number][] = [
    ['maxAttempts', flags.maxAttempts, '--max-attempts', 100],
    [
      'initialBackoffMs',
      durationIn(flags.initialBackoffMs, '--initial-backoff-ms', 'ms'),
      '--initial-backoff-ms',
      3_600_000,
    ],
    ['maxBackoffMs', durationIn(flags.maxBackoffMs, '--max-backoff-ms', 'ms'), '--max-backoff-ms', 3_600_000],
    ['timeoutSeconds', durationIn(flags.timeout, '--timeout', 's'), '--timeout', 86_400],
    ['maxInFlight', flags.maxInFlight, '--max-in-flight', 10_000],
  ];
  for (const [field, value, flag, max] of numbers) {
    const n = int(value, flag, max);
    if (n !== undefined) (spec as Record<string, unknown>)[field] = n;
  }
  if (flags.ordering !== undefined) {
    const mode = ORDERINGS.find((o) => o === flags.ordering);
    if (!mode)
      throw new CliError(
        `--ordering ${JSON.stringify(flags.ordering)} is not supported: use ${ORDERINGS.join(', ')} (partition keeps today's order per partition)`,
      );
    spec.ordering = mode;
  }
  return spec;
}

/** A complete KafkaTrigger for `create`: topic and selector are required there. */
export function kafkaTriggerObject(name: string, namespace: string, flags: KafkaTriggerFlags): object {
  const spec = specFromFlags(flags);
  if (!spec.topic)
    throw new CliError('--trigger-topic is required (the topic whose messages call the function)');
  if (!spec.functionSelector)
    throw new CliError('--function-selector is required (labels of the functions to call, e.g. app=sink)');
  return { apiVersion: API_VERSION, kind: 'KafkaTrigger', metadata: { name, namespace }, spec };
}
