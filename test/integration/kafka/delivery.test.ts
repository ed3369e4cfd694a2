// deliverRecord against a real HTTP function on 127.0.0.1: a function that says "not now" (429,
// 503, Retry-After) slows the record down without using its attempts; one that fails is retried
// and then dead-lettered.
import { afterEach, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { deliverRecord, type DeadLetterRecord } from '../../../kafka/delivery.js';
import { KafkaMetrics } from '../../../kafka/metrics.js';
import { Semaphore } from '../../../kafka/semaphore.js';
import { triggerConfig } from '../../../kafka/trigger.js';
import { FunctionNotReady, type RecordInfo } from '../../../kafka/types.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A function answering the given statuses in turn (then 200), noting when each call came. */
async function scripted(answers: { status: number; headers?: Record<string, string> }[]) {
  const calls: number[] = [];
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls.push(Date.now());
      const a = answers.shift() ?? { status: 200 };
      res.writeHead(a.status, a.headers).end(String(a.status));
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, calls };
}

const record: RecordInfo = {
  topic: 'orders',
  partition: 0,
  offset: '7',
  key: null,
  value: Buffer.from('{"a":1}'),
  timestamp: '0',
  headers: {},
};

function context(url: () => string | Promise<string>, maxAttempts = 2) {
  const trigger = triggerConfig({
    metadata: { name: 't', namespace: 'ns' },
    spec: {
      topic: 'orders',
      functionSelector: { matchLabels: { a: 'b' } },
      maxAttempts,
      initialBackoffMs: 10,
      maxBackoffMs: 20,
    },
  });
  const dead: DeadLetterRecord[] = [];
  const metrics = new KafkaMetrics();
  return {
    dead,
    metrics,
    ctx: {
      trigger,
      targets: () => [{ namespace: 'ns', name: 'fn' }],
      resolveUrl: url,
      limiter: new Semaphore(4),
      metrics,
      log: pino({ level: 'silent' }),
      deadLetter: async (r: DeadLetterRecord) => void dead.push(r),
    },
  };
}

const total = async (m: KafkaMetrics, name: 'backpressure' | 'failed' | 'deadLettered'): Promise<number> =>
  (await m[name].get()).values.reduce((n, v) => n + v.value, 0);

describe("deliverRecord and the function's back-pressure", () => {
  test('429 and 503 are waited out (Retry-After honoured) without using attempts; the record is delivered', async () => {
    const fn = await scripted([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 503 },
      { status: 503 },
      { status: 503 },
    ]);
    const { ctx, dead, metrics } = context(() => fn.url, 2);
    const outcome = await deliverRecord(ctx, record, new AbortController().signal);
    expect(outcome.delivered).toEqual([{ namespace: 'ns', name: 'fn' }]);
    expect(dead).toEqual([]);
    expect(fn.calls).toHaveLength(5);
    // The second call waited for Retry-After: 1 (second), not the 10 ms backoff.
    expect((fn.calls[1] ?? 0) - (fn.calls[0] ?? 0)).toBeGreaterThanOrEqual(950);
    expect(await total(metrics, 'backpressure')).toBe(4);
    expect(await total(metrics, 'failed')).toBe(0);
  });

  test('a function that is not ready yet is asked again later, not dead-lettered', async () => {
    const fn = await scripted([]);
    let asked = 0;
    const { ctx, dead } = context(() => {
      asked++;
      if (asked < 4) throw new FunctionNotReady('function ns/fn is starting');
      return fn.url;
    }, 1);
    const outcome = await deliverRecord(ctx, record, new AbortController().signal);
    expect(outcome.delivered).toHaveLength(1);
    expect(dead).toEqual([]);
  });

  test('500s use up the attempts and the record is dead-lettered with why', async () => {
    const fn = await scripted([{ status: 500 }, { status: 500 }, { status: 500 }]);
    const { ctx, dead, metrics } = context(() => fn.url, 2);
    const outcome = await deliverRecord(ctx, record, new AbortController().signal);
    expect(outcome.deadLettered).toHaveLength(1);
    expect(fn.calls).toHaveLength(2);
    expect(dead[0]?.headers['kubeless-error-status']).toBe('500');
    expect(await total(metrics, 'deadLettered')).toBe(1);
  });
});
