// `kubeless kafka-trigger` in cluster mode: KafkaTriggers and Functions followed through the real
// control plane's watch API, records from a real broker, status written to kafkatriggers/status.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { startBroker, type Broker } from '../kafka/broker.js';
import { startFunctionServer, type FunctionServer } from '../kafka/function-server.js';
import { startTriggerProcess, type TriggerProcess } from '../kafka/trigger-process.js';
import { readClusterInfo, repoRoot } from './helpers/cluster.js';
import { kubectlJson, kubectlOk } from './helpers/kubectl.js';

jest.setTimeout(300_000);

const ns = `e2e-kafka-${process.pid}`;
let dir: string;
let broker: Broker;
let producer: Producer;
let fn: FunctionServer;
let trigger: TriggerProcess | undefined;

interface TriggerObj {
  metadata: { generation: number };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason: string; message: string }[];
  };
}

const until = async <T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

const fnManifest = (
  name: string,
  labels: Record<string, string>,
  spec: Record<string, string> = {},
): string =>
  JSON.stringify({
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name, namespace: ns, labels },
    spec: {
      runtime: 'nodejs20',
      handler: 'handler.run',
      function: 'module.exports = { run: () => "ok" };',
      ...spec,
    },
  });

async function readyOf(
  name: string,
): Promise<{ status: string; reason: string; observed?: number; generation: number } | undefined> {
  const t = await kubectlJson<TriggerObj>(['get', 'kafkatrigger', name, '-n', ns, '-o', 'json']);
  const c = t.status?.conditions?.find((x) => x.type === 'Ready');
  return c
    ? {
        status: c.status,
        reason: c.reason,
        observed: t.status?.observedGeneration,
        generation: t.metadata.generation,
      }
    : undefined;
}

const pathsSeen = (): string[] => [...new Set(fn.receipts.map((r) => r.path))];

beforeAll(async () => {
  const info = readClusterInfo();
  dir = mkdtempSync(join(tmpdir(), 'kubeless-kafka-cluster-'));
  broker = await startBroker({ dataDir: join(dir, 'broker') });
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'e2e', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: 'events', numPartitions: 2 },
      { topic: 'seed-news', numPartitions: 2 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
  fn = await startFunctionServer(0);
  await kubectlOk([
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    join(repoRoot, 'charts/kubeless/crds'),
  ]);
  await kubectlOk(['create', 'namespace', ns]);
  await kubectlOk(['apply', '-f', '-'], { input: fnManifest('sink', { app: 'sink' }) });
  await kubectlOk(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'KafkaTrigger',
      metadata: { name: 'events', namespace: ns },
      spec: {
        topic: 'events',
        functionSelector: { matchLabels: { app: 'sink' } },
        initialBackoffMs: 50,
        maxBackoffMs: 500,
      },
    }),
  });
  trigger = startTriggerProcess(
    [
      '--brokers',
      broker.bootstrap,
      '--kubeconfig',
      info.kubeconfig,
      '--namespace',
      ns,
      '--function-url',
      `${fn.url}/{namespace}/{name}`,
      '--metrics-address',
      '127.0.0.1:0',
    ],
    join(dir, 'trigger.log'),
  );
});

afterAll(async () => {
  await trigger?.kill('SIGTERM');
  await producer?.disconnect().catch(() => undefined);
  await fn?.close();
  await broker?.kill();
  await kubectlOk(['delete', 'namespace', ns, '--wait=false']).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('kafka-trigger in cluster mode', () => {
  test('delivers to the selected Function and reports Ready through the status subresource', async () => {
    await producer.send({
      topic: 'events',
      messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `m${i}` })),
    });
    // The first wait covers the trigger process's start (tsx compiling it), its informers' lists
    // and its consumer group's join: on a busy machine that alone took most of a minute.
    await until('20 deliveries', () => fn.receipts.filter((r) => r.ok).length >= 20 || undefined, 180_000);
    expect(new Set(fn.receipts.map((r) => r.body)).size).toBe(20);
    const ready = await until('Ready=True', async () => {
      const r = await readyOf('events');
      return r?.status === 'True' ? r : undefined;
    });
    expect(ready).toMatchObject({ reason: 'Consuming' });
    expect(ready.observed).toBe(ready.generation);
    expect(pathsSeen()).toEqual([`/${ns}/sink`]);
  });

  test('follows selector and Function changes live, and says why it is not Ready meanwhile', async () => {
    fn.receipts.length = 0;
    await kubectlOk([
      'patch',
      'kafkatrigger',
      'events',
      '-n',
      ns,
      '--type',
      'merge',
      '-p',
      '{"spec":{"functionSelector":{"matchLabels":{"app":"late"}}}}',
    ]);
    const waiting = await until('NoMatchingFunctions', async () => {
      const r = await readyOf('events');
      return r?.reason === 'NoMatchingFunctions' ? r : undefined;
    });
    expect(waiting.status).toBe('False');
    await producer.send({ topic: 'events', messages: [{ key: 'late', value: 'held' }] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(fn.receipts).toEqual([]);
    // The record waits uncommitted; a Function appearing with the label receives it.
    await kubectlOk(['apply', '-f', '-'], { input: fnManifest('late', { app: 'late' }) });
    const got = await until('the held record', () => fn.receipts.find((r) => r.ok && r.body === 'held'));
    expect(got.headers['x-kafka-key']).toBe('late');
    expect(got.path).toBe(`/${ns}/late`);
    await until('Ready=True again', async () =>
      (await readyOf('events'))?.status === 'True' ? true : undefined,
    );
  });

  test('a seed-era Function with type: pubsub and a topic is stored as written and receives its topic', async () => {
    fn.receipts.length = 0;
    await kubectlOk(['apply', '-f', '-'], {
      input: fnManifest('seed-reader', {}, { type: 'PubSub', topic: 'seed-news' }),
    });
    const stored = await kubectlJson<{ spec: { type?: string; topic?: string } }>([
      'get',
      'function',
      'seed-reader',
      '-n',
      ns,
      '-o',
      'json',
    ]);
    expect(stored.spec).toMatchObject({ type: 'PubSub', topic: 'seed-news' });
    await producer.send({
      topic: 'seed-news',
      messages: Array.from({ length: 10 }, (_, i) => ({ key: `s${i}`, value: `news-${i}` })),
    });
    await until('10 pubsub deliveries', () =>
      new Set(fn.receipts.filter((r) => r.ok && r.path === `/${ns}/seed-reader`).map((r) => r.body)).size >=
      10
        ? true
        : undefined,
    );
    expect(fn.receipts.find((r) => r.path === `/${ns}/seed-reader`)?.headers['x-kafka-topic']).toBe(
      'seed-news',
    );
  });
});
