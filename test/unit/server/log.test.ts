import { describe, expect, test } from '@jest/globals';
import { Writable } from 'node:stream';
import { componentLogger, errField, objectFields } from '../../../lib/server/log.js';
import { keyFields } from '../../../local/store/store.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('server logs: one set of field names', () => {
  test('component says who logs; kind/namespace/name the object; err what went wrong', () => {
    const out = capture();
    const log = componentLogger('kafka-trigger', { level: 'info', destination: out.stream });
    log
      .child(objectFields({ kind: 'KafkaTrigger', namespace: 'ns1', name: 'orders' }))
      .warn({ ...errField(new Error('broker down')), attempt: 2 }, 'consumer crashed');
    const [line] = out.lines();
    expect(line).toMatchObject({
      level: 40,
      component: 'kafka-trigger',
      kind: 'KafkaTrigger',
      namespace: 'ns1',
      name: 'orders',
      err: 'broker down',
      msg: 'consumer crashed',
    });
  });

  test('the level comes from the option, then LOG_LEVEL', () => {
    const out = capture();
    const log = componentLogger('api', { level: 'warn', destination: out.stream });
    log.info('hidden');
    log.warn('shown');
    expect(out.lines().map((l) => l.msg)).toEqual(['shown']);
  });

  test("the local platform's store keys log as the same fields", () => {
    expect(keyFields('cronjobtriggers/default/nightly')).toEqual({
      kind: 'CronJobTrigger',
      namespace: 'default',
      name: 'nightly',
    });
    expect(keyFields('functions/team-a/hello')).toEqual({
      kind: 'Function',
      namespace: 'team-a',
      name: 'hello',
    });
  });
});
