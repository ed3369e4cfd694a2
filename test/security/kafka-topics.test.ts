// Issue 18, item 6: Kafka topics across tenants. Before the fix a KafkaTrigger could read any
// topic from the earliest offset and dead-letter into any topic. Now the operator's rule (chart
// value kafka.topicPolicy, default `{namespace}.*`) is checked by the webhook (the real process,
// with the chart's rendered policy) and again by the trigger engine before it subscribes.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { TriggerManager } from '../../kafka/manager.js';
import type { KafkaTriggerObject } from '../../kafka/types.js';
import { parsePolicy } from '../../lib/policy/config.js';
import { admissionReview, issue, request } from '../integration/webhook/helpers.js';
import { startWebhookProcess, type WebhookProcess } from '../integration/webhook/process.js';

jest.setTimeout(60_000);

// What the chart renders into the kubeless-policy ConfigMap with kafka.topicPolicy set like this.
const POLICY = {
  kafkaTopics: { default: ['{namespace}.*'], namespaces: { billing: ['billing.*', 'shared-invoices'] } },
};

const certs = issue();
let dir: string;
let webhook: WebhookProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-topics-'));
  for (const [f, v] of [
    ['tls.crt', certs.tlsCert],
    ['tls.key', certs.tlsKey],
    ['ca.crt', certs.caBundle],
    ['policy.json', JSON.stringify(POLICY)],
  ] as const)
    writeFileSync(join(dir, f), v);
  webhook = await startWebhookProcess([
    ...['--host', '127.0.0.1', '--port', '0', '--cert-mode', 'cert-manager', '--cert-dir', dir],
    ...['--no-cluster-checks', '--catalog-configmap', '', '--policy-file', join(dir, 'policy.json')],
  ]);
}, 90_000);

afterAll(async () => {
  await webhook?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function trigger(namespace: string, spec: Record<string, unknown>): KafkaTriggerObject {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'KafkaTrigger',
    metadata: { name: 'reader', namespace },
    spec: { functionSelector: { matchLabels: { app: 'sink' } }, ...spec },
  } as KafkaTriggerObject;
}

interface Answer {
  allowed: boolean;
  status?: { details?: { causes?: { field: string; message: string }[] } };
}

/** The webhook's answer to creating `obj` (a KafkaTrigger or a Function). */
async function admit(obj: {
  kind?: string;
  metadata: { name?: string; namespace?: string };
}): Promise<Answer> {
  const kind = obj.kind ?? 'KafkaTrigger';
  const resource = kind === 'Function' ? 'functions' : 'kafkatriggers';
  const res = await request(webhook.port, '/validate', {
    ca: certs.caBundle,
    body: admissionReview({
      uid: 'k',
      kind: { group: 'kubeless.io', version: 'v1beta1', kind },
      resource: { group: 'kubeless.io', version: 'v1beta1', resource },
      operation: 'CREATE',
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      object: obj,
      dryRun: false,
    }),
  });
  return (res.json() as { response: Answer }).response;
}

const CASES: { name: string; t: KafkaTriggerObject; refused?: string }[] = [
  { name: "its own namespace's topic", t: trigger('team-a', { topic: 'team-a.orders' }) },
  {
    name: "another tenant's topic",
    t: trigger('team-a', { topic: 'team-b.orders' }),
    refused: 'spec.topic',
  },
  {
    name: "dead letters into another tenant's topic",
    t: trigger('team-a', { topic: 'team-a.orders', deadLetterTopic: 'team-b.orders' }),
    refused: 'spec.deadLetterTopic',
  },
  {
    name: 'a topic named like a prefix it does not have (team-ab.x for team-a)',
    t: trigger('team-a', { topic: 'team-ab.orders' }),
    refused: 'spec.topic',
  },
  {
    name: "the operator's extra topic for one namespace",
    t: trigger('billing', { topic: 'shared-invoices', deadLetterTopic: 'billing.invoices.dlq' }),
  },
  {
    name: 'a topic allowed to one namespace, from another',
    t: trigger('team-a', { topic: 'shared-invoices', deadLetterTopic: 'team-a.dlq' }),
    refused: 'spec.topic',
  },
  {
    name: 'the default dead-letter topic of an allowed extra topic, when it is not allowed',
    t: trigger('billing', { topic: 'shared-invoices' }),
    refused: 'spec.deadLetterTopic',
  },
];

describe('the webhook', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const answer = await admit(c.t);
    const cause = answer.status?.details?.causes?.[0];
    expect({ allowed: answer.allowed, field: cause?.field }).toEqual({
      allowed: !c.refused,
      field: c.refused,
    });
    if (c.refused)
      expect(cause?.message).toMatch(
        /may (read|dead-letter into).* only the topics .*\(fix: .*kafka.topicPolicy/,
      );
  });
});

describe('pubsub Functions (spec.type: pubsub) consume their topic under the same rule', () => {
  const pubsub = (namespace: string, topic: string) => ({
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'sub', namespace },
    spec: {
      runtime: 'nodejs22',
      handler: 'h.f',
      function: 'module.exports.f = () => 1;',
      type: 'pubsub',
      topic,
    },
  });
  test.each([
    ['team-a', 'team-a.events', undefined],
    ['team-a', 'team-b.events', 'spec.topic'],
  ])('namespace %s, topic %s', async (namespace, topic, refused) => {
    const answer = await admit(pubsub(namespace, topic));
    expect({ allowed: answer.allowed, field: answer.status?.details?.causes?.[0]?.field }).toEqual({
      allowed: !refused,
      field: refused,
    });
  });
});

describe('the trigger engine, for a trigger that reached it without the webhook', () => {
  test('refuses the topics the policy refuses, before any consumer starts, and reports why', async () => {
    // No broker at this address: a consumer that started would be visible in states().
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const invalid: string[] = [];
    const manager = new TriggerManager({
      kafka,
      resolveUrl: () => 'http://127.0.0.1:1',
      log: pino({ level: 'silent' }),
      topicPolicy: parsePolicy(JSON.stringify(POLICY)).kafkaTopics,
      onInvalid: (_obj, err) => invalid.push(err.message),
    });
    try {
      for (const c of CASES.filter((x) => x.refused)) {
        await manager.applyTrigger(c.t);
      }
      // A pubsub Function on another tenant's topic is not consumed either.
      manager.upsertFunction({ namespace: 'team-a', name: 'sub', labels: {}, pubsubTopic: 'team-b.events' });
      expect(manager.states()).toEqual([]);
      expect(invalid).toHaveLength(CASES.filter((x) => x.refused).length);
      expect(invalid[0]).toMatch(
        /^spec.topic: "team-b.orders": triggers in namespace team-a may read only the topics team-a\.\*/,
      );
    } finally {
      await manager.stop();
    }
  });
});
