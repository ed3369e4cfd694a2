import { isUtf8 } from 'node:buffer';
import { KAFKA_EVENT_NAMESPACE, kubelessEventHeaders } from '../lib/function/event-headers.js';
import { resourcePath } from '../lib/k8s/kubeless-paths.js';
import type { FunctionRef, RecordInfo, TriggerConfig } from './types.js';

// Header values must be visible ASCII (no CR/LF, no bytes HTTP parsers reject); anything else
// travels base64-encoded with a marker header saying so.
const SAFE_VALUE = /^[\x20-\x7e]*$/;
// RFC 9110 token characters: what a header name may contain.
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-zA-Z-]+$/;

export const CE_TYPE = 'io.kubeless.kafka.message';

export function eventId(topic: string, partition: number, offset: string): string {
  // Stable across redeliveries, so a function can drop duplicates by this id.
  return `${topic}:${partition}:${offset}`;
}

function eventTime(timestamp: string): Date {
  const ms = Number(timestamp);
  return new Date(Number.isFinite(ms) && ms > 0 ? ms : Date.now());
}

function headerText(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

/** Content type of a record: its own `content-type` header, else what the bytes look like. */
export function contentTypeOf(record: RecordInfo): string {
  const declared = record.headers['content-type'];
  if (declared !== undefined) {
    const first = Array.isArray(declared) ? declared[0] : declared;
    if (first !== undefined) return headerText(first);
  }
  const value = record.value;
  if (!value || value.length === 0) return 'application/octet-stream';
  if (!isUtf8(value)) return 'application/octet-stream';
  const text = value.toString('utf8');
  try {
    JSON.parse(text);
    return 'application/json';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}

function put(out: Record<string, string>, name: string, value: Buffer | string): void {
  const text = typeof value === 'string' ? value : isUtf8(value) ? value.toString('utf8') : null;
  if (text !== null && SAFE_VALUE.test(text)) {
    out[name] = text;
  } else {
    out[name] = Buffer.from(typeof value === 'string' ? Buffer.from(value, 'utf8') : value).toString(
      'base64',
    );
    out[`${name}-encoding`] = 'base64';
  }
}

// ce-source names the trigger: built once per trigger, not per record.
const sources = new WeakMap<TriggerConfig, string>();

function sourceOf(trigger: TriggerConfig): string {
  let s = sources.get(trigger);
  if (s === undefined) {
    s = resourcePath('kafkatriggers', trigger.namespace, trigger.name);
    sources.set(trigger, s);
  }
  return s;
}

/**
 * The request headers of one delivery: the Kubeless event headers (what `event['event-id']` and
 * friends read), CloudEvents binary mode, and the Kafka coordinates and record headers.
 */
export function deliveryHeaders(record: RecordInfo, trigger: TriggerConfig): Record<string, string> {
  const id = eventId(record.topic, record.partition, record.offset);
  const time = eventTime(record.timestamp);
  const contentType = contentTypeOf(record);
  const out: Record<string, string> = {
    'content-type': contentType,
    ...kubelessEventHeaders({
      id,
      type: contentType.split(';')[0]?.trim() ?? contentType,
      time,
      namespace: KAFKA_EVENT_NAMESPACE,
    }),
    'ce-specversion': '1.0',
    'ce-id': id,
    'ce-source': sourceOf(trigger),
    'ce-type': CE_TYPE,
    // CloudEvents requires RFC 3339 here, whatever form event-time takes.
    'ce-time': time.toISOString(),
    'ce-subject': record.topic,
    'x-kafka-topic': record.topic,
    'x-kafka-partition': String(record.partition),
    'x-kafka-offset': record.offset,
  };
  if (record.key) put(out, 'x-kafka-key', record.key);
  for (const [name, raw] of Object.entries(record.headers)) {
    if (raw === undefined || !TOKEN.test(name)) continue;
    const values = Array.isArray(raw) ? raw : [raw];
    // Repeated Kafka headers keep only their last value: HTTP would otherwise join them with commas.
    const last = values[values.length - 1];
    if (last !== undefined) put(out, `x-kafka-header-${name.toLowerCase()}`, last);
  }
  return out;
}

export interface DeliveryFailure {
  function: FunctionRef;
  attempts: number;
  error: string;
  status?: number;
}

/**
 * The dead-letter record: the original key and value untouched, the original headers kept, and
 * `kubeless-*` headers saying where it came from and why it could not be delivered.
 */
export function deadLetterRecord(
  record: RecordInfo,
  trigger: TriggerConfig,
  failure: DeliveryFailure,
  now: Date,
): {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[]>;
} {
  const headers: Record<string, Buffer | string | (Buffer | string)[]> = {};
  for (const [k, v] of Object.entries(record.headers)) if (v !== undefined) headers[k] = v;
  Object.assign(headers, {
    'kubeless-error': failure.error.slice(0, 1024),
    'kubeless-error-status': failure.status === undefined ? '' : String(failure.status),
    'kubeless-attempts': String(failure.attempts),
    'kubeless-function': `${failure.function.namespace}/${failure.function.name}`,
    'kubeless-trigger': `${trigger.namespace}/${trigger.name}`,
    'kubeless-source-topic': record.topic,
    'kubeless-source-partition': String(record.partition),
    'kubeless-source-offset': record.offset,
    'kubeless-source-timestamp': record.timestamp,
    'kubeless-failed-at': now.toISOString(),
  });
  return { key: record.key, value: record.value, headers };
}
