// Where a Kafka delivery posts on a cluster: the Function's Service on the port that Service takes
// calls on (lib/function/ports.ts), the same port the controller gives the Service and the
// aggregated API dials. It was always 8080, so `kubeless function deploy --port 8081` functions
// and old manifests with their own ports got nothing.
import { describe, expect, test } from '@jest/globals';
import { pino } from 'pino';
import type { Kafka } from 'kafkajs';
import { applyServiceFlags } from '../../../cli/function/service-flags.js';
import { functionInfo, specForTriggers } from '../../../kafka/function-info.js';
import { TriggerManager } from '../../../kafka/manager.js';
import { parseManifests } from '../../../kafka/manifests.js';
import { serviceUrlResolver } from '../../../kafka/urls.js';
import type { FunctionSpec } from '../../../lib/types.js';

const resolve = serviceUrlResolver('cluster.local');
const spec = (service: unknown): Partial<FunctionSpec> => ({ service }) as Partial<FunctionSpec>;

describe('the URL a Kafka delivery posts to on a cluster', () => {
  test('a function deployed with --port 8081 is called on 8081', () => {
    const service = applyServiceFlags(undefined, { port: '8081' });
    expect(resolve(functionInfo('shop', 'orders', {}, spec(service)))).toBe(
      'http://orders.shop.svc.cluster.local:8081/',
    );
  });

  test('--servicePort: the Service port, not where the runtime listens', () => {
    const service = applyServiceFlags(undefined, { port: '9000', servicePort: '80' });
    expect(resolve(functionInfo('shop', 'orders', {}, spec(service)))).toBe(
      'http://orders.shop.svc.cluster.local:80/',
    );
  });

  test('without spec.service, the default port 8080', () => {
    expect(resolve(functionInfo('shop', 'orders', {}, {}))).toBe(
      'http://orders.shop.svc.cluster.local:8080/',
    );
  });

  test("the informer's trimmed copy of a Function keeps what decides the port", () => {
    const full = {
      function: 'module.exports = {}',
      handler: 'h.f',
      runtime: 'nodejs20',
      type: 'pubsub',
      topic: 'shop.news',
      service: { ports: [{ name: 'http-function-port', port: 8081, targetPort: 8081 }] },
    } as Partial<FunctionSpec>;
    const trimmed = specForTriggers(full);
    expect(trimmed).not.toHaveProperty('function');
    expect(functionInfo('shop', 'news', {}, trimmed)).toEqual(functionInfo('shop', 'news', {}, full));
    expect(resolve(functionInfo('shop', 'news', {}, trimmed))).toBe(
      'http://news.shop.svc.cluster.local:8081/',
    );
  });

  test('standalone manifests: an old manifest with its own Service port', () => {
    const m = parseManifests(
      'kind: Function\nmetadata: {name: f, namespace: a}\nspec:\n  service:\n    ports: [{name: web, port: 3000, targetPort: 3000}]\n',
      'm.yaml',
    );
    expect(m.functions.map((f) => resolve(f))).toEqual(['http://f.a.svc.cluster.local:3000/']);
  });

  test("the trigger's targets carry the port to the resolver, and follow a port change", () => {
    const manager = new TriggerManager({
      kafka: {} as Kafka,
      resolveUrl: resolve,
      log: pino({ level: 'silent' }),
    });
    const trigger = {
      namespace: 'a',
      name: 't',
      generation: 1,
      topic: 'a.o',
      groupId: 'g',
      functionSelector: { matchLabels: { app: 'x' } },
      deadLetterTopic: 'a.o.dlq',
      maxAttempts: 3,
      initialBackoffMs: 1,
      maxBackoffMs: 1,
      timeoutMs: 1000,
      maxInFlight: 1,
      ordering: 'partition' as const,
    };
    manager.upsertFunction(
      functionInfo('a', 'f', { app: 'x' }, spec(applyServiceFlags(undefined, { port: '8081' }))),
    );
    expect(manager.targetsOf(trigger).map((fn) => resolve(fn))).toEqual([
      'http://f.a.svc.cluster.local:8081/',
    ]);
    manager.upsertFunction(
      functionInfo('a', 'f', { app: 'x' }, spec(applyServiceFlags(undefined, { port: '8082' }))),
    );
    expect(manager.targetsOf(trigger).map((fn) => resolve(fn))).toEqual([
      'http://f.a.svc.cluster.local:8082/',
    ]);
  });
});
