import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CONFIG } from '../../../../controller/config.js';
import { isOwnedBy } from '../../../../controller/ownership.js';
import {
  appliedOutcome,
  planTrigger,
  triggerOwnerKey,
  triggersNaming,
  type PlannedFunction,
} from '../../../../controller/triggers/plan.js';
import type { CronJobTrigger, HTTPTrigger } from '../../../../lib/types.js';

const http = (spec: Partial<HTTPTrigger['spec']> = {}): HTTPTrigger => ({
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'HTTPTrigger',
  metadata: { name: 'web', namespace: 'team', uid: 'u-1' },
  spec: { 'function-name': 'hello', ...spec },
});

const cron: CronJobTrigger = {
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'CronJobTrigger',
  metadata: { name: 'nightly', namespace: 'team', uid: 'u-2' },
  spec: { 'function-name': 'hello', schedule: '@hourly' },
};

const fn = (spec: PlannedFunction['spec'] = {}, deleting = false): PlannedFunction => ({
  metadata: deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {},
  spec,
});

describe('planTrigger', () => {
  it('applies the Ingress when the Function exists', () => {
    const plan = planTrigger({ kind: 'HTTPTrigger', trigger: http() }, fn(), DEFAULT_CONFIG);
    expect(plan.action).toBe('apply');
    expect(plan.action === 'apply' && plan.desired.kind).toBe('Ingress');
  });

  it('applies the CronJob with the Function’s timeout as the deadline', () => {
    const plan = planTrigger(
      { kind: 'CronJobTrigger', trigger: cron },
      fn({ timeout: '42' }),
      DEFAULT_CONFIG,
    );
    expect(plan.action).toBe('apply');
    const desired = plan.action === 'apply' ? plan.desired : undefined;
    expect(desired).toMatchObject({
      kind: 'CronJob',
      spec: { jobTemplate: { spec: { activeDeadlineSeconds: 42 } } },
    });
  });

  it('follows a Function whose spec.service moves the port', () => {
    const plan = planTrigger(
      { kind: 'HTTPTrigger', trigger: http() },
      fn({ service: { ports: [{ name: 'http-function-port', port: 9090 }] } }),
      DEFAULT_CONFIG,
    );
    expect(plan).toMatchObject({
      action: 'apply',
      desired: {
        spec: { rules: [{ http: { paths: [{ backend: { service: { port: { number: 9090 } } } }] } }] },
      },
    });
  });

  it('removes the object and reports FunctionNotFound when the Function is missing or being deleted', () => {
    for (const f of [undefined, fn({}, true)]) {
      expect(planTrigger({ kind: 'CronJobTrigger', trigger: cron }, f, DEFAULT_CONFIG)).toEqual({
        action: 'remove',
        outcome: { kind: 'functionNotFound' },
      });
    }
  });

  it('keeps the last good Ingress and reports InvalidSpec with the remedy for a spec the gateway cannot do', () => {
    const plan = planTrigger(
      { kind: 'HTTPTrigger', trigger: http({ gateway: 'kong', 'basic-auth-secret': 'users' }) },
      fn(),
      DEFAULT_CONFIG,
    );
    expect(plan.action).toBe('keep');
    expect(plan.action === 'keep' && plan.outcome).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/kong cannot use basic-auth-secret; use gateway nginx or traefik/),
    });
  });
});

describe('appliedOutcome', () => {
  it('names the object kind, and a conflict is not Ready', () => {
    expect(appliedOutcome('HTTPTrigger', 'web', 'unchanged')).toEqual({
      kind: 'applied',
      objectKind: 'Ingress',
      objectName: 'web',
    });
    expect(appliedOutcome('CronJobTrigger', 'nightly', 'conflict')).toEqual({
      kind: 'conflict',
      objectKind: 'CronJob',
      objectName: 'nightly',
    });
  });
});

describe('owner keys and ownership', () => {
  const ref = {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'HTTPTrigger',
    name: 'web',
    uid: 'u-1',
    controller: true,
  };

  it('maps an Ingress back to the trigger that controls it, and only for that kind', () => {
    const ing = { metadata: { namespace: 'team', ownerReferences: [ref] } };
    expect(triggerOwnerKey(ing, 'HTTPTrigger')).toBe('team/web');
    expect(triggerOwnerKey(ing, 'CronJobTrigger')).toBeUndefined();
    expect(triggerOwnerKey({ metadata: { namespace: 'team' } }, 'HTTPTrigger')).toBeUndefined();
  });

  it('a same-named object made by someone else, or by an earlier trigger of that name, is not the trigger’s', () => {
    expect(isOwnedBy({ metadata: { ownerReferences: [ref] } }, http())).toBe(true);
    expect(isOwnedBy({ metadata: { ownerReferences: [{ ...ref, uid: 'old' }] } }, http())).toBe(false);
    expect(isOwnedBy({ metadata: {} }, http())).toBe(false);
    expect(isOwnedBy({ metadata: { ownerReferences: [ref] } }, { kind: 'HTTPTrigger', metadata: {} })).toBe(
      false,
    );
  });
});

describe('triggersNaming', () => {
  it('picks the triggers of that namespace that name the Function', () => {
    const list = [
      http(),
      { ...http(), metadata: { name: 'other', namespace: 'team' }, spec: { 'function-name': 'bye' } },
      { ...http(), metadata: { name: 'elsewhere', namespace: 'prod' } },
    ];
    expect(triggersNaming(list, 'team', 'hello')).toEqual(['team/web']);
    expect(triggersNaming(list, 'prod', 'hello')).toEqual(['prod/elsewhere']);
    expect(triggersNaming(list, 'team', 'nobody')).toEqual([]);
  });
});
