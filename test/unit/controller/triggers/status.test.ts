import { describe, expect, it } from '@jest/globals';
import { triggerStatus } from '../../../../controller/triggers/status.js';
import { statusChanged } from '../../../../lib/k8s/conditions.js';
import type { CronJobTrigger } from '../../../../lib/types.js';

const trigger = (status?: CronJobTrigger['status']): CronJobTrigger => ({
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'CronJobTrigger',
  metadata: { name: 'nightly', namespace: 'team', uid: 'u', generation: 2 },
  spec: { 'function-name': 'hello', schedule: '@hourly' },
  ...(status ? { status } : {}),
});

describe('triggerStatus', () => {
  it('is Ready with the function listed once the CronJob is applied', () => {
    const s = triggerStatus(
      trigger(),
      { kind: 'applied', objectKind: 'CronJob', objectName: 'nightly' },
      new Date(0),
    );
    expect(s.observedGeneration).toBe(2);
    expect(s.functions).toEqual(['hello']);
    expect(s.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'True', reason: 'Applied' });
  });

  it('says FunctionNotFound with the remedy when the function is gone', () => {
    const s = triggerStatus(trigger(), { kind: 'functionNotFound' }, new Date(0));
    expect(s.conditions?.[0]).toMatchObject({ status: 'False', reason: 'FunctionNotFound' });
    expect(s.conditions?.[0]?.message).toMatch(/team\/hello does not exist; deploy it/);
    expect(s.functions).toEqual([]);
  });

  it('keeps the transition time while the status does not flip, so a second reconcile writes nothing', () => {
    const first = triggerStatus(trigger(), { kind: 'functionNotFound' }, new Date(0));
    const again = triggerStatus(trigger(first), { kind: 'functionNotFound' }, new Date(60_000));
    expect(statusChanged(first, again)).toBe(false);
    const flipped = triggerStatus(
      trigger(first),
      { kind: 'applied', objectKind: 'CronJob', objectName: 'nightly' },
      new Date(60_000),
    );
    expect(flipped.conditions?.[0]?.lastTransitionTime).toBe('1970-01-01T00:01:00.000Z');
    expect(statusChanged(first, flipped)).toBe(true);
  });

  it('reports a foreign object of the same name as a conflict', () => {
    const s = triggerStatus(
      trigger(),
      { kind: 'conflict', objectKind: 'CronJob', objectName: 'nightly' },
      new Date(0),
    );
    expect(s.conditions?.[0]).toMatchObject({ status: 'False', reason: 'ResourceConflict' });
  });
});
