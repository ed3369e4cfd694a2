import { describe, expect, test } from '@jest/globals';
import { backoffMs } from '../../../kafka/backoff.js';
import { contentTypeOf, deadLetterRecord, deliveryHeaders } from '../../../kafka/headers.js';
import { planChange } from '../../../kafka/manager.js';
import { triggerStatus } from '../../../kafka/status.js';
import { selectTargets, selectorMatches, triggerConfig, TriggerError } from '../../../kafka/trigger.js';
import type { RecordInfo } from '../../../kafka/types.js';

const trigger = triggerConfig({
  metadata: { name: 't', namespace: 'ns' },
  spec: { topic: 'orders', functionSelector: { matchLabels: { app: 'a' } } },
});
const record = (over: Partial<RecordInfo> = {}): RecordInfo => ({
  topic: 'orders',
  partition: 2,
  offset: '41',
  key: Buffer.from('customer-1'),
  value: Buffer.from('{"x":1}'),
  timestamp: '1700000000000',
  headers: {},
  ...over,
});

describe('backoffMs', () => {
  test('doubles per retry, stays within [half, full] of the step, and caps', () => {
    expect(backoffMs(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffMs(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffMs(4, 100, 10_000, () => 1)).toBe(800);
    expect(backoffMs(20, 100, 1000, () => 1)).toBe(1000);
    expect(backoffMs(20, 100, 1000, () => 0)).toBe(500);
  });
});

describe('triggerConfig', () => {
  test('defaults the group, dead-letter topic and retry policy', () => {
    expect(trigger).toMatchObject({
      groupId: 'kubeless-ns-t',
      deadLetterTopic: 'orders.dlq',
      maxAttempts: 5,
      timeoutMs: 180_000,
    });
  });
  test('names the bad field', () => {
    expect(() => triggerConfig({ metadata: { name: 't' }, spec: { topic: 'bad topic' } })).toThrow(
      /spec\.topic/,
    );
    expect(() =>
      triggerConfig({
        metadata: { name: 't' },
        spec: { topic: 'a', functionSelector: { matchLabels: { x: 'y' } }, deadLetterTopic: 'a' },
      }),
    ).toThrow(TriggerError);
    const sel = { matchLabels: { app: 'a' } };
    expect(() =>
      triggerConfig({ metadata: { name: 't' }, spec: { topic: 'a', functionSelector: sel, maxAttempts: 0 } }),
    ).toThrow(/spec\.maxAttempts/);
    expect(() => triggerConfig({ metadata: { name: 't' }, spec: { topic: 'a' } })).toThrow(
      /spec\.functionSelector/,
    );
  });
});

describe('selectors', () => {
  test('matchLabels and matchExpressions follow Kubernetes semantics', () => {
    expect(selectorMatches({ matchLabels: { app: 'a' } }, { app: 'a', x: 'y' })).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'a' } }, { app: 'b' })).toBe(false);
    expect(
      selectorMatches(
        { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] },
        { tier: 'api' },
      ),
    ).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, {}),
    ).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, {})).toBe(false);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, { tier: 'x' }),
    ).toBe(false);
  });
  test('only functions of the trigger namespace are targets', () => {
    const fns = [
      { namespace: 'ns', name: 'b', labels: { app: 'a' } },
      { namespace: 'other', name: 'c', labels: { app: 'a' } },
      { namespace: 'ns', name: 'a', labels: { app: 'a' } },
      { namespace: 'ns', name: 'd', labels: { app: 'z' } },
    ];
    expect(selectTargets(trigger, fns).map((f) => f.name)).toEqual(['a', 'b']);
  });
  test('a selector change retargets without restarting the consumer; a topic change restarts it', () => {
    const moved = { ...trigger, functionSelector: { matchLabels: { app: 'b' } } };
    expect(planChange(undefined, trigger)).toBe('start');
    expect(planChange(trigger, { ...trigger, generation: 9 })).toBe('none');
    expect(planChange(trigger, moved)).toBe('selector');
    expect(planChange(trigger, { ...trigger, topic: 'other', groupId: trigger.groupId })).toBe('restart');
  });
});

describe('delivery headers', () => {
  test('event id is stable per topic/partition/offset and shared by Kubeless and CloudEvents headers', () => {
    const h = deliveryHeaders(record(), trigger);
    expect(h).toMatchObject({
      'event-id': 'orders:2:41',
      'ce-id': 'orders:2:41',
      'event-type': 'application/json',
      'content-type': 'application/json',
      'event-time': '2023-11-14 22:13:20 +0000 UTC',
      'ce-time': '2023-11-14T22:13:20.000Z',
      'ce-specversion': '1.0',
      'x-kafka-partition': '2',
      'x-kafka-offset': '41',
      'x-kafka-key': 'customer-1',
    });
  });
  test('binary keys and header values travel base64 with a marker; bad header names are dropped', () => {
    const h = deliveryHeaders(
      record({
        key: Buffer.from([0xff, 0x00, 0x0a]),
        headers: { 'trace-id': 'abc', 'bad name': 'x', bin: Buffer.from([0xfe, 0x0d]) },
      }),
      trigger,
    );
    expect(h['x-kafka-key']).toBe(Buffer.from([0xff, 0x00, 0x0a]).toString('base64'));
    expect(h['x-kafka-key-encoding']).toBe('base64');
    expect(h['x-kafka-header-trace-id']).toBe('abc');
    expect(h['x-kafka-header-bin-encoding']).toBe('base64');
    expect(Object.keys(h).some((k) => k.includes('bad'))).toBe(false);
  });
  test('content type: declared header first, then JSON, text, bytes', () => {
    expect(contentTypeOf(record({ headers: { 'content-type': 'application/cloudevents+json' } }))).toBe(
      'application/cloudevents+json',
    );
    expect(contentTypeOf(record({ value: Buffer.from('hello') }))).toBe('text/plain; charset=utf-8');
    expect(contentTypeOf(record({ value: Buffer.from([0xff, 0xfe]) }))).toBe('application/octet-stream');
  });
  test('dead-letter record keeps key, value and headers, and says why', () => {
    const r = record({ headers: { 'trace-id': 'abc' } });
    const dlq = deadLetterRecord(
      r,
      trigger,
      { function: { namespace: 'ns', name: 'f' }, attempts: 5, error: 'HTTP 500: boom', status: 500 },
      new Date(0),
    );
    expect(dlq.key).toBe(r.key);
    expect(dlq.value).toBe(r.value);
    expect(dlq.headers).toMatchObject({
      'trace-id': 'abc',
      'kubeless-error': 'HTTP 500: boom',
      'kubeless-error-status': '500',
      'kubeless-attempts': '5',
      'kubeless-function': 'ns/f',
      'kubeless-source-offset': '41',
    });
  });
});

describe('trigger status', () => {
  const state = {
    phase: 'Consuming' as const,
    message: 'consuming 6 partition(s)',
    waitingForFunctions: false,
    assignedPartitions: 6,
  };
  test('Ready only when consuming with at least one function', () => {
    const fns = [{ namespace: 'ns', name: 'f' }];
    expect(triggerStatus(state, fns, 3).conditions[0]).toMatchObject({
      status: 'True',
      reason: 'Consuming',
      observedGeneration: 3,
    });
    expect(triggerStatus(state, [], 3).conditions[0]).toMatchObject({
      status: 'False',
      reason: 'NoMatchingFunctions',
    });
    expect(
      triggerStatus({ ...state, phase: 'Failed', message: 'topic x does not exist' }, fns, 3).conditions[0],
    ).toMatchObject({
      status: 'False',
      reason: 'ConsumerFailed',
      message: 'topic x does not exist',
    });
  });
  test('the transition time moves only when the status flips', () => {
    const fns = [{ namespace: 'ns', name: 'f' }];
    const first = triggerStatus(state, fns, 1, [], new Date(1000));
    const same = triggerStatus({ ...state, message: 'other' }, fns, 1, first.conditions, new Date(5000));
    expect(same.conditions[0]?.lastTransitionTime).toBe(first.conditions[0]?.lastTransitionTime);
    const flipped = triggerStatus(state, [], 1, first.conditions, new Date(9000));
    expect(flipped.conditions[0]?.lastTransitionTime).toBe(new Date(9000).toISOString());
  });
});
