import { describe, expect, it } from '@jest/globals';
import { cronSpecFromFlags, cronTriggerObject } from '../../../cli/commands/trigger-cronjob-spec.js';
import { httpSpecFromFlags, httpTriggerObject } from '../../../cli/commands/trigger-http-spec.js';

describe('HTTP trigger flags', () => {
  it('builds the HTTPTrigger with the original field names', () => {
    const t = httpTriggerObject('web', 'team', {
      functionName: 'hello',
      hostname: 'h.example.com',
      path: 'hi',
      gateway: 'traefik',
      basicAuthSecret: 'users',
      corsEnable: true,
    });
    expect(t).toEqual({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'HTTPTrigger',
      metadata: { name: 'web', namespace: 'team' },
      spec: {
        'function-name': 'hello',
        'host-name': 'h.example.com',
        path: '/hi',
        gateway: 'traefik',
        'basic-auth-secret': 'users',
        'cors-enable': true,
      },
    });
  });

  it('patches only the given flags on update', () => {
    expect(httpSpecFromFlags({ tlsSecret: 'cert' })).toEqual({ 'tls-secret': 'cert' });
  });

  it('explains missing or bad flags', () => {
    expect(() => httpTriggerObject('web', 'team', {})).toThrow(/--function-name is required/);
    expect(() => httpSpecFromFlags({ gateway: 'haproxy' })).toThrow(/choose nginx, traefik, kong/);
    expect(() => httpTriggerObject('web', 'team', { functionName: 'f', tls: true, tlsSecret: 's' })).toThrow(
      /not both/,
    );
  });
});

describe('cron trigger flags', () => {
  it('builds the CronJobTrigger with a JSON payload and time zone', () => {
    const t = cronTriggerObject('nightly', 'team', {
      functionName: 'hello',
      schedule: '0 3 * * *',
      payload: '{"a":1}',
      timeZone: 'Europe/Berlin',
    });
    expect(t.spec).toEqual({
      'function-name': 'hello',
      schedule: '0 3 * * *',
      payload: { a: 1 },
      timeZone: 'Europe/Berlin',
    });
  });

  it('keeps a non-JSON payload as text and accepts macros', () => {
    expect(cronSpecFromFlags({ payload: 'hello there', schedule: '@hourly' })).toEqual({
      payload: 'hello there',
      schedule: '@hourly',
    });
  });

  it('rejects a bad schedule with the expected format', () => {
    expect(() => cronSpecFromFlags({ schedule: '* * *' })).toThrow(/five fields/);
    expect(() => cronSpecFromFlags({ schedule: '99 * * * *' })).toThrow(/five fields/);
    expect(() => cronTriggerObject('n', 'team', { functionName: 'f' })).toThrow(/--schedule is required/);
  });
});
