// event-time takes the form the original Kubeless's source of the same kind sent: functions
// written for it parse it, and its Makefiles grep it (`event-time.*UTC` after a Kafka delivery,
// `event-time.*Z` after `kubeless function call`).
import { describe, expect, it } from '@jest/globals';
import {
  eventTimeFor,
  goUtcTimeString,
  KAFKA_EVENT_NAMESPACE,
  kubelessEventHeaders,
} from '../../../lib/function/event-headers.js';
import { functionRequestHeaders } from '../../../lib/invoke/headers.js';
import { invokePlan } from '../../../cli/commands/invoke-plan.js';
import { firingRequest } from '../../../local/triggers/cron.js';
import type { CronJobTrigger } from '../../../lib/types.js';

const at = new Date('2009-11-10T23:00:00.120Z');

describe("Go's time.String() in UTC", () => {
  it('prints fractional seconds without trailing zeros, as Go does', () => {
    expect(goUtcTimeString(at)).toBe('2009-11-10 23:00:00.12 +0000 UTC');
    expect(goUtcTimeString(new Date('2009-11-10T23:00:00.007Z'))).toBe('2009-11-10 23:00:00.007 +0000 UTC');
  });
  it('prints no fraction on a whole second (the form the original docs show)', () => {
    expect(goUtcTimeString(new Date('2009-11-10T23:00:00Z'))).toBe('2009-11-10 23:00:00 +0000 UTC');
  });
  it('reads back as the same instant', () => {
    expect(new Date(goUtcTimeString(at)).getTime()).toBe(at.getTime());
  });
});

describe('event-time by source', () => {
  it('Kafka deliveries get the original Kafka trigger form', () => {
    expect(eventTimeFor(KAFKA_EVENT_NAMESPACE, at)).toMatch(/^2009-11-10 23:00:00\.12 \+0000 UTC$/);
    expect(
      kubelessEventHeaders({ id: 'i', type: 'application/json', time: at, namespace: KAFKA_EVENT_NAMESPACE })[
        'event-time'
      ],
    ).toBe('2009-11-10 23:00:00.12 +0000 UTC');
  });
  it('the invoke subresource and `kubeless function call` send RFC 3339, as the original CLI did', () => {
    expect(functionRequestHeaders({}, { now: at })['event-time']).toBe('2009-11-10T23:00:00.120Z');
    expect(functionRequestHeaders({ 'event-namespace': 'cli.kubeless.io' }, { now: at })['event-time']).toBe(
      '2009-11-10T23:00:00.120Z',
    );
  });
  it('a caller naming the Kafka source through invoke gets what a Kafka delivery gets', () => {
    const h = functionRequestHeaders({ 'event-namespace': KAFKA_EVENT_NAMESPACE }, { now: at });
    expect(h['event-time']).toBe('2009-11-10 23:00:00.12 +0000 UTC');
  });
  it("a caller's own event-time, or a CloudEvents ce-time, is never replaced", () => {
    expect(functionRequestHeaders({ 'event-time': 'yesterday' }, { now: at })['event-time']).toBe(
      'yesterday',
    );
    expect(
      functionRequestHeaders({ 'ce-time': '2001-01-01T00:00:00Z' }, { now: at })['event-time'],
    ).toBeUndefined();
  });
  it('CronJobTriggers (local, and `kubeless invoke` in the cluster CronJob) send RFC 3339', () => {
    const trigger = {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 't', namespace: 'default' },
      spec: { schedule: '* * * * *', 'function-name': 'f' },
    } as CronJobTrigger;
    expect(firingRequest(trigger, at, 'id').headers['event-time']).toBe('2009-11-10T23:00:00.120Z');
    const plan = invokePlan(
      {
        url: 'http://f.default.svc:8080',
        contentType: 'application/json',
        eventType: 'application/json',
        eventNamespace: 'cronjobtrigger.kubeless.io',
        timeout: '10',
      },
      {},
      at,
      () => 'id',
    );
    expect(plan.headers['event-time']).toBe('2009-11-10T23:00:00.120Z');
  });
});
