import { describe, expect, test } from '@jest/globals';
import {
  kafkaTriggerObject,
  parseSelector,
  specFromFlags,
} from '../../../cli/commands/trigger-kafka-spec.js';
import { pubsubTrigger } from '../../../kafka/manager.js';
import { parseManifests } from '../../../kafka/manifests.js';
import { templateUrlResolver } from '../../../kafka/urls.js';
import { parseBrokers } from '../../../kafka/client.js';

describe('kubeless trigger kafka flags', () => {
  test('the original --function-selector form becomes matchLabels', () => {
    expect(parseSelector('created-by=kubeless, topic=s3')).toEqual({ 'created-by': 'kubeless', topic: 's3' });
    expect(() => parseSelector('novalue')).toThrow(/label=value/);
    expect(() => parseSelector('a=b c')).toThrow(/--function-selector/);
  });
  test('create needs topic and selector; update sends only the given fields', () => {
    expect(() => kafkaTriggerObject('t', 'ns', { functionSelector: 'a=b' })).toThrow(
      /--trigger-topic is required/,
    );
    expect(
      kafkaTriggerObject('t', 'ns', { triggerTopic: 'orders', functionSelector: 'a=b', maxAttempts: '3' }),
    ).toEqual({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'KafkaTrigger',
      metadata: { name: 't', namespace: 'ns' },
      spec: { topic: 'orders', functionSelector: { matchLabels: { a: 'b' } }, maxAttempts: 3 },
    });
    expect(specFromFlags({ maxBackoffMs: '500' })).toEqual({ maxBackoffMs: 500 });
    expect(() => specFromFlags({ maxAttempts: '0' })).toThrow(/--max-attempts/);
  });
  test('--ordering sets the ordering mode and names the supported ones', () => {
    expect(specFromFlags({ ordering: 'key', maxInFlight: '200' })).toEqual({
      ordering: 'key',
      maxInFlight: 200,
    });
    expect(specFromFlags({ ordering: 'none' })).toEqual({ ordering: 'none' });
    expect(() => specFromFlags({ ordering: 'fifo' })).toThrow(/partition, key, none/);
  });
});

describe('standalone mode inputs', () => {
  test('a manifest file holds KafkaTriggers and Functions; other kinds are refused', () => {
    const m = parseManifests(
      'kind: Function\nmetadata: {name: f, labels: {app: a}}\n---\nkind: KafkaTrigger\nmetadata: {name: t, namespace: x}\nspec: {topic: o}\n',
      'm.yaml',
    );
    expect(m.functions).toEqual([
      { namespace: 'default', name: 'f', labels: { app: 'a' }, servicePort: 8080 },
    ]);
    expect(m.triggers[0]?.metadata).toMatchObject({ name: 't', namespace: 'x' });
    expect(() => parseManifests('kind: Pod\nmetadata: {name: p}\n', 'm.yaml')).toThrow(
      /neither KafkaTrigger nor Function/,
    );
  });
  test('a seed-era pubsub Function stands for a trigger of its topic, to itself, in its own group', () => {
    const m = parseManifests(
      'kind: Function\nmetadata: {name: reader, namespace: shop}\nspec: {type: PubSub, topic: news}\n---\nkind: Function\nmetadata: {name: web}\nspec: {type: HTTP, topic: ""}\n',
      'm.yaml',
    );
    expect(m.functions.map((f) => f.pubsubTopic)).toEqual(['news', undefined]);
    const [reader] = m.functions;
    expect(reader && pubsubTrigger(reader)).toMatchObject({
      namespace: 'shop',
      topic: 'news',
      groupId: 'kubeless-pubsub.shop.reader',
      deadLetterTopic: 'news.dlq',
      ordering: 'partition',
      pubsubFunction: 'reader',
    });
    expect(pubsubTrigger({ namespace: 'shop', name: 'web', labels: {} })).toBeUndefined();
  });
  test('function URL templates and broker lists are checked up front', () => {
    expect(templateUrlResolver('http://127.0.0.1:9/{namespace}/{name}')({ namespace: 'a', name: 'b' })).toBe(
      'http://127.0.0.1:9/a/b',
    );
    expect(() => templateUrlResolver('http://127.0.0.1:9/')).toThrow(/\{name\}/);
    expect(parseBrokers('a:1, b:2')).toEqual(['a:1', 'b:2']);
    expect(() => parseBrokers('')).toThrow(/--brokers/);
    expect(() => parseBrokers(' ', '--kafka-brokers', 'KUBELESS_KAFKA_BROKERS')).toThrow(
      /--kafka-brokers host:port.*KUBELESS_KAFKA_BROKERS/,
    );
  });
});
