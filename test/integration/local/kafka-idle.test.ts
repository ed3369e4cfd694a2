// The local platform started without a Kafka broker: KafkaTriggers and seed-era pubsub Functions
// are stored and say in their status why nothing consumes their topic, and which flag to set.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { startPlatform, type Platform } from '../../../local/platform.js';
import { call, FN_PATH, nodeFunction, readyOf, tmpDataDir, waitFor } from './helpers.js';

let platform: Platform;
let dataDir = '';
const API = `${FN_PATH}/default`;

interface Cond {
  type: string;
  status: string;
  reason: string;
  message: string;
}
const conditionOf = (o: Record<string, unknown>, type: string): Cond | undefined =>
  (o.status as { conditions?: Cond[] } | undefined)?.conditions?.find((c) => c.type === type);

beforeAll(async () => {
  dataDir = tmpDataDir();
  platform = await startPlatform({ port: 0, dataDir, logger: pino({ level: 'silent' }), poolSize: 1 });
});

afterAll(async () => {
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Kafka on the local platform without --kafka-brokers', () => {
  it('a KafkaTrigger is Ready=False with reason NoKafkaBroker and names the flag', async () => {
    const created = await call(platform.url, 'POST', `${API}/kafkatriggers`, {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'KafkaTrigger',
      metadata: { name: 'orders' },
      spec: { topic: 'orders', functionSelector: { matchLabels: { app: 'sink' } }, ordering: 'key' },
    });
    expect(created.status).toBe(201);
    const deadline = Date.now() + 10_000;
    let ready: Cond | undefined;
    while (Date.now() < deadline && !ready) {
      const t = await call(platform.url, 'GET', `${API}/kafkatriggers/orders`);
      ready = conditionOf(t.body, 'Ready');
      if (!ready) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ready).toMatchObject({ status: 'False', reason: 'NoKafkaBroker' });
    expect(ready?.message).toContain('--kafka-brokers');
    expect(ready?.message).toContain('KUBELESS_KAFKA_BROKERS');
  });

  it('a seed-era pubsub Function runs, keeps its type and topic, and its Subscribed condition says why nothing arrives', async () => {
    const fn = nodeFunction('reader', 'module.exports.handler = () => "ok";', {
      type: 'PubSub',
      topic: 'news',
    });
    expect((await call(platform.url, 'POST', `${API}/functions`, fn)).status).toBe(201);
    const got = await waitFor(
      platform.url,
      'default',
      'reader',
      (o) => readyOf(o)?.status === 'True' && conditionOf(o, 'Subscribed') !== undefined,
    );
    expect((got.spec as { type?: string; topic?: string }).topic).toBe('news');
    expect(conditionOf(got, 'Subscribed')).toMatchObject({ status: 'False', reason: 'NoKafkaBroker' });
    expect(conditionOf(got, 'Subscribed')?.message).toContain('--kafka-brokers');

    // No longer pubsub: the condition goes, Ready stays.
    const patched = await call(
      platform.url,
      'PATCH',
      `${API}/functions/reader`,
      { spec: { type: 'HTTP', topic: '' } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(patched.status).toBe(200);
    const after = await waitFor(
      platform.url,
      'default',
      'reader',
      (o) => conditionOf(o, 'Subscribed') === undefined,
    );
    expect(readyOf(after)).toBeDefined();
  });
});
