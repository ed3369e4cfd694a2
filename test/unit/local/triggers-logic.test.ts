// The local platform's trigger decisions: schedules, firings, routes, user env and status.
import { describe, expect, it } from '@jest/globals';
import { everySeconds, nextRun, parseSchedule } from '../../../lib/function/schedule.js';
import { durationMs } from '../../../lib/format/duration.js';
import { validateObject } from '../../../lib/function/validate.js';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import type { CronJobTrigger, HTTPTrigger } from '../../../lib/types.js';
import { userEnv, expandRefs } from '../../../local/controller/user-env.js';
import { firingRequest, followingRun } from '../../../local/triggers/cron.js';
import { localOutcome } from '../../../local/triggers/controller.js';
import { resolution, routeResolver } from '../../../local/api/resolver.js';
import { proxyFailureStatus } from '../../../lib/invoke/failures.js';
import type { Resolution } from '../../../lib/invoke/resolver.js';
import {
  hostOf,
  hostScore,
  matchRoute,
  noRouteMessage,
  routeOf,
  type Route,
} from '../../../local/triggers/routes.js';

const cron = (spec: Partial<CronJobTrigger['spec']>): CronJobTrigger => ({
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'CronJobTrigger',
  metadata: { name: 'tick', namespace: 'default', generation: 1 },
  spec: { 'function-name': 'hello', schedule: '@every 1s', ...spec },
});

const http = (
  name: string,
  spec: Partial<HTTPTrigger['spec']>,
  created = '2026-01-01T00:00:00Z',
): HTTPTrigger => ({
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'HTTPTrigger',
  metadata: { name, namespace: 'default', creationTimestamp: created },
  spec: { 'function-name': name, ...spec },
});

describe('schedules', () => {
  it('reads Go durations as robfig/cron does, whole seconds with a floor of one', () => {
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('1.5s')).toBe(1500);
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs('10')).toBeUndefined();
    expect(durationMs('1d')).toBeUndefined();
    expect(everySeconds('@every 1s')).toBe(1);
    expect(everySeconds('@every 1500ms')).toBe(1);
    expect(everySeconds('@every 250ms')).toBe(1);
    expect(everySeconds('@every 2m')).toBe(120);
    expect(everySeconds('@every 0s')).toBeUndefined();
    expect(everySeconds('@every')).toBeUndefined();
    expect(everySeconds('* * * * *')).toBeUndefined();
  });

  it('fires @every on whole-second boundaries and cron expressions in their time zone', () => {
    const at = new Date('2026-03-01T10:00:00.400Z');
    expect(nextRun(parseSchedule('@every 1s'), at).toISOString()).toBe('2026-03-01T10:00:01.000Z');
    expect(nextRun(parseSchedule('@every 5m'), at).toISOString()).toBe('2026-03-01T10:05:00.000Z');
    expect(nextRun(parseSchedule('*/15 * * * *'), at).toISOString()).toBe('2026-03-01T10:15:00.000Z');
    // 09:00 in Berlin is 08:00 UTC in winter.
    expect(nextRun(parseSchedule('0 9 * * *', 'Europe/Berlin'), at).toISOString()).toBe(
      '2026-03-02T08:00:00.000Z',
    );
    expect(nextRun(parseSchedule('@midnight'), at).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(() => parseSchedule('@every soon')).toThrow(/@every 1s/);
  });

  it('drops missed slots instead of firing them in a burst', () => {
    const s = parseSchedule('@every 1s');
    const planned = new Date('2026-03-01T10:00:01.000Z');
    expect(followingRun(s, planned, new Date('2026-03-01T10:00:01.003Z')).toISOString()).toBe(
      '2026-03-01T10:00:02.000Z',
    );
    // The machine slept for a minute: the next firing is after now, not 60 catch-up calls.
    expect(followingRun(s, planned, new Date('2026-03-01T10:01:05.200Z')).toISOString()).toBe(
      '2026-03-01T10:01:06.000Z',
    );
  });

  it('validates @every everywhere (webhook, local, CLI share the rule) and sends seconds there', () => {
    const errs = (schedule: string): string =>
      validateObject('CronJobTrigger', cron({ schedule }), DEFAULT_CATALOG)
        .map((e) => `${e.field}: ${e.message} ${e.fix ?? ''}`)
        .join('\n');
    expect(errs('@every 1s')).toBe('');
    expect(errs('@every 1h30m')).toBe('');
    expect(errs('@every soon')).toMatch(/spec.schedule.*no valid duration.*@every 1s/);
    expect(errs('*/10 * * * * *')).toMatch(/five fields.*no seconds field.*@every 1s/);
  });
});

describe('cron firings', () => {
  it('sends the payload with the event headers the original Kubeless CronJob sent', () => {
    const now = new Date('2026-03-01T10:00:01.000Z');
    expect(firingRequest(cron({ payload: { n: 1 } }), now, 'id-1')).toEqual({
      headers: {
        'content-type': 'application/json',
        'event-id': 'id-1',
        'event-time': '2026-03-01T10:00:01.000Z',
        'event-type': 'application/json',
        'event-namespace': 'cronjobtrigger.kubeless.io',
      },
      body: '{"n":1}',
    });
    expect(firingRequest(cron({ payload: 'hi' }), now, 'x')).toMatchObject({
      headers: { 'event-type': 'text/plain' },
      body: 'hi',
    });
    expect(firingRequest(cron({}), now, 'x').body).toBe('');
  });
});

describe('gateway routes', () => {
  it('matches hosts like an Ingress: exact, one-label wildcard, or any', () => {
    expect(hostOf('API.example.com:8081')).toBe('api.example.com');
    expect(hostOf('[::1]:8081')).toBe('[::1]');
    expect(hostScore('a.example.com', 'a.example.com')).toBe(2);
    expect(hostScore('*.example.com', 'a.example.com')).toBe(1);
    expect(hostScore('*.example.com', 'b.a.example.com')).toBe(-1);
    expect(hostScore('*.example.com', 'example.com')).toBe(-1);
    expect(hostScore(undefined, 'anything')).toBe(0);
  });

  it('picks the most specific host, then the longest whole-element prefix, then the oldest', () => {
    const routes: Route[] = [
      routeOf(http('root', {})),
      routeOf(http('hello', { path: 'hello/' })),
      routeOf(http('deep', { path: '/hello/deep' })),
      routeOf(http('host', { 'host-name': 'api.example.com', path: '/' })),
      routeOf(http('young', { path: '/hello' }, '2026-02-01T00:00:00Z')),
    ];
    const pick = (host: string, url: string): string | undefined => matchRoute(routes, host, url)?.trigger;
    expect(pick('x', '/hello')).toBe('hello');
    expect(pick('x', '/hello/x?y=1')).toBe('hello');
    expect(pick('x', '/hello/deep/er')).toBe('deep');
    expect(pick('x', '/helloworld')).toBe('root');
    expect(pick('api.example.com', '/hello/deep')).toBe('host');
    expect(matchRoute(routes.slice(1, 3), 'x', '/other')).toBeUndefined();
    expect(noRouteMessage(routes.slice(1, 2), 'x:1', '/other?q')).toBe(
      'no HTTPTrigger matches host "x" and path "/other"; routes: */hello (default/hello)',
    );
    expect(noRouteMessage([], undefined, '/')).toContain('kubeless trigger http create');
  });
});

describe('user env', () => {
  const deployment = (containers: unknown[]): unknown => ({ spec: { template: { spec: { containers } } } });

  it('reads --env from the runtime container, expanding $(VAR) and skipping what needs a cluster', () => {
    const got = userEnv(
      deployment([
        { name: 'sidecar', env: [{ name: 'NOPE', value: 'x' }] },
        {
          name: 'hello',
          env: [
            { name: 'A', value: 'one' },
            { name: 'B', value: '$(A)-two-$$(A)-$(MISSING)' },
            { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          ],
        },
      ]),
      'hello',
      'team',
    );
    expect(got.env).toEqual({ A: 'one', B: 'one-two-$(A)-$(MISSING)', NS: 'team' });
    expect(got.skipped).toEqual([expect.stringMatching(/^SECRET \(valueFrom secretKeyRef needs a cluster/)]);
    expect(userEnv(deployment([{ env: [{ name: 'K', value: 'v' }] }]), 'hello', 'd').env).toEqual({ K: 'v' });
    expect(userEnv(undefined, 'hello', 'd')).toEqual({ env: {}, skipped: [] });
    expect(expandRefs('$$$(A)', { A: 'a' })).toBe('$a');
  });
});

describe('trigger status', () => {
  it('uses the cluster controller decision, worded for what serves the trigger locally', () => {
    const t = cron({ timeZone: 'Europe/Berlin', schedule: '0 9 * * *' });
    expect(localOutcome(t, false, parseSchedule('0 9 * * *'), 'http://g')).toEqual({
      outcome: { kind: 'functionNotFound' },
    });
    expect(localOutcome(t, true, new Error('bad'), 'http://g')).toEqual({
      outcome: { kind: 'invalid', message: 'bad' },
    });
    expect(localOutcome(t, true, parseSchedule('0 9 * * *'), 'http://g').message).toBe(
      'the local scheduler calls Function hello on "0 9 * * *" (Europe/Berlin)',
    );
    expect(localOutcome(http('web', { path: 'x' }), true, undefined, 'http://g').message).toBe(
      'the local gateway http://g routes host * path /x to Function web',
    );
  });
});

describe('proxy answers', () => {
  const message = (r: Resolution): string | undefined =>
    r.state === 'unavailable'
      ? proxyFailureStatus({ code: 'NOT_READY', namespace: 'ns', name: 'fn', notReady: r }).message
      : undefined;

  it('says why a function cannot take the request and where to look', async () => {
    const missing = await routeResolver({ resolve: async () => ({ state: 'missing' }) }).resolve('ns', 'fn');
    expect(message(missing)).toBe(
      'function ns/fn is not ready (it does not exist); deploy it, or point the trigger at an existing Function',
    );
    expect(
      proxyFailureStatus({
        code: 'NOT_READY',
        namespace: 'ns',
        name: 'fn',
        notReady: resolution({ state: 'failed', reason: 'LoadError', message: 'boom' }, 'fn', 10) as {
          why: string;
          fix: string;
        },
      }),
    ).toMatchObject({
      code: 503,
      message: expect.stringMatching(/\(LoadError: boom\); see kubectl get function fn/),
    });
    expect(message(resolution({ state: 'starting' }, 'fn', 10))).toContain('still starting after 10 ms');
    expect(resolution({ state: 'missing' }, 'fn', 10)).toEqual({ state: 'missing' });
  });
});
