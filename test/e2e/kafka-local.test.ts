// `kubeless local --kafka-brokers`: the local platform runs KafkaTriggers and seed-era pubsub
// Functions in-process against a real broker (test/kafka/), delivering to real Node.js runtime
// processes, and reports them Ready / Subscribed.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { pino } from 'pino';
import { startPlatform, type Platform } from '../../local/platform.js';
import { startBroker, type Broker } from '../kafka/broker.js';
import { call, FN_PATH, nodeFunction } from '../integration/local/helpers.js';

jest.setTimeout(300_000);

let dir: string;
let broker: Broker;
let admin: Admin;
let producer: Producer;
let platform: Platform;
const API = `${FN_PATH}/default`;

interface Cond {
  type: string;
  status: string;
  reason: string;
}
const conditionOf = (o: Record<string, unknown>, type: string): Cond | undefined =>
  (o.status as { conditions?: Cond[] } | undefined)?.conditions?.find((c) => c.type === type);

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 120_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A function that appends every event's seq to a file, so the test sees exactly what arrived. */
const recorder = (name: string, file: string, extra: Record<string, unknown>): Record<string, unknown> =>
  nodeFunction(
    name,
    `const fs = require('node:fs');
module.exports.handler = (event) => {
  fs.appendFileSync(${JSON.stringify(file)}, JSON.stringify({ seq: event.data.seq, ns: event['event-namespace'] }) + '\\n');
  return 'ok';
};`,
    extra,
  );

const seqsIn = (file: string): number[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { seq: number }).seq)
    : [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubeless-kafka-local-'));
  broker = await startBroker({ dataDir: join(dir, 'broker') });
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'e2e-local', logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: 'local-orders', numPartitions: 3 },
      { topic: 'local-news', numPartitions: 2 },
    ],
    waitForLeaders: true,
  });
  producer = kafka.producer();
  await producer.connect();
  platform = await startPlatform({
    port: 0,
    dataDir: join(dir, 'data'),
    logger: pino({ level: 'warn' }),
    poolSize: 1,
    kafkaBrokers: [broker.bootstrap],
  });
});

afterAll(async () => {
  await platform?.close();
  await producer?.disconnect().catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
  await broker?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('the local platform with --kafka-brokers', () => {
  test('a KafkaTrigger (ordering key) and a pubsub Function each receive every record of their topic', async () => {
    const sinkFile = join(dir, 'sink.jsonl');
    const readerFile = join(dir, 'reader.jsonl');
    const post = (path: string, body: unknown) => call(platform.url, 'POST', `${API}/${path}`, body);
    expect((await post('functions', recorder('sink', sinkFile, {}))).status).toBe(201);
    await call(
      platform.url,
      'PATCH',
      `${API}/functions/sink`,
      { metadata: { labels: { app: 'sink' } } },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    expect(
      (await post('functions', recorder('reader', readerFile, { type: 'pubsub', topic: 'local-news' })))
        .status,
    ).toBe(201);
    expect(
      (
        await post('kafkatriggers', {
          apiVersion: 'kubeless.io/v1beta1',
          kind: 'KafkaTrigger',
          metadata: { name: 'orders' },
          spec: {
            topic: 'local-orders',
            functionSelector: { matchLabels: { app: 'sink' } },
            ordering: 'key',
          },
        })
      ).status,
    ).toBe(201);

    const records = (n: number) =>
      Array.from({ length: n }, (_, seq) => ({ key: `k${seq % 7}`, value: JSON.stringify({ seq }) }));
    await producer.send({ topic: 'local-orders', acks: -1, messages: records(60) });
    await producer.send({ topic: 'local-news', acks: -1, messages: records(20) });

    await until('every order at the sink', () => (new Set(seqsIn(sinkFile)).size === 60 ? true : undefined));
    await until('every news record at the reader', () =>
      new Set(seqsIn(readerFile)).size === 20 ? true : undefined,
    );
    expect(readFileSync(sinkFile, 'utf8')).toContain('"ns":"kafkatriggers.kubeless.io"');

    const trigger = await until('the trigger to be Ready', async () => {
      const t = (await call(platform.url, 'GET', `${API}/kafkatriggers/orders`)).body;
      return conditionOf(t, 'Ready')?.status === 'True' ? t : undefined;
    });
    expect(conditionOf(trigger, 'Ready')?.reason).toBe('Consuming');
    expect((trigger.status as { functions?: string[] }).functions).toEqual(['sink']);
    const reader = await until('the pubsub Function to be Subscribed', async () => {
      const f = (await call(platform.url, 'GET', `${API}/functions/reader`)).body;
      return conditionOf(f, 'Subscribed')?.status === 'True' ? f : undefined;
    });
    expect(conditionOf(reader, 'Ready')?.status).toBe('True');

    const committed = async (topic: string, group: string): Promise<true | undefined> => {
      const ends = await admin.fetchTopicOffsets(topic);
      const [c] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return ends.every((e) => c?.partitions.find((p) => p.partition === e.partition)?.offset === e.high)
        ? true
        : undefined;
    };
    await until(
      'the trigger group to commit',
      () => committed('local-orders', 'kubeless-default-orders'),
      30_000,
    );
    await until(
      'the pubsub group to commit',
      () => committed('local-news', 'kubeless-pubsub.default.reader'),
      30_000,
    );
  });
});
