// Issue 18, items 5 and 7: the controller judges the pod and Service it rendered before applying
// them (a Function stored while the webhook was down, or admitted with failurePolicy Ignore,
// must not get a privileged pod), and names the same field the webhook would have. Function and
// CronJobTrigger pods meet Pod Security `restricted` and carry no service account token. The
// reconciler's condition and Event on a real control plane: test/e2e/function-policy.test.ts.
import { describe, expect, test } from '@jest/globals';
import { DEFAULT_CONFIG } from '../../controller/config.js';
import { desiredDeployment, desiredService } from '../../controller/desired/index.js';
import type { KubelessFunction } from '../../controller/model.js';
import { desiredCronJob } from '../../controller/triggers/cronjob.js';
import { DEFAULT_CATALOG, findRuntime } from '../../lib/catalog.js';
import { DEFAULT_POLICY } from '../../lib/policy/config.js';
import { expectedWorkload, functionPolicyErrors, type Workload } from '../../lib/policy/function.js';
import { checkPodSecurity } from '../../lib/policy/pod-security.js';
import type { CronJobTrigger } from '../../lib/types.js';
import { ALLOWED, REFUSED, type PolicyCase } from './fixtures/function-requests.js';
import { resolveWith } from '../helpers/resolve-with.js';

const runtime = findRuntime(DEFAULT_CATALOG, 'nodejs22')!;
const config = { ...DEFAULT_CONFIG, installNamespace: 'kubeless' };
const RESTRICTED = { level: 'restricted' as const, allowedVolumeTypes: [], allowedCapabilities: [] };

function fnOf(c: PolicyCase, namespace = 'team-a'): KubelessFunction {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'hello', namespace, uid: 'u1' },
    spec: {
      runtime: 'nodejs22',
      handler: 'hello.handler',
      function: 'module.exports.handler = () => "hi";',
      ...(c.deployment ? { deployment: c.deployment } : {}),
      ...(c.service ? { service: c.service } : {}),
    } as KubelessFunction['spec'],
  };
}

/** What the controller renders and is about to apply. */
function rendered(fn: KubelessFunction): Workload {
  return {
    podTemplate: desiredDeployment(resolveWith(fn, runtime), config).spec!.template,
    serviceSpec: desiredService(fn).spec,
  };
}

const recheck = (fn: KubelessFunction) =>
  functionPolicyErrors(fn, rendered(fn), DEFAULT_POLICY.functions, { installNamespace: 'kubeless' });

describe("the controller's re-check of what it rendered", () => {
  test.each(REFUSED.map((c) => [c.name, c] as const))('refuses %s, naming the Function field', (_n, c) => {
    const errors = recheck(fnOf(c));
    expect(errors[0]?.field).toBe(c.field);
    expect(errors[0]?.message).toContain(`${c.value}:`);
  });

  test.each(ALLOWED.map((c) => [c.name, c] as const))('lets %s through', (_n, c) => {
    expect(recheck(fnOf(c))).toEqual([]);
  });

  test('agrees with the webhook on every request (same errors from the expected and the rendered pod)', () => {
    for (const c of [...REFUSED, ...ALLOWED]) {
      const fn = fnOf(c);
      const webhook = functionPolicyErrors(fn, expectedWorkload(fn), DEFAULT_POLICY.functions);
      expect({ name: c.name, errors: webhook }).toEqual({ name: c.name, errors: recheck(fn) });
    }
  });

  test('refuses any Function in the install namespace, whatever it asks', () => {
    expect(recheck(fnOf({ name: 'plain' }, 'kubeless')).map((e) => e.field)).toEqual(['metadata.namespace']);
  });
});

describe('the pods the controller renders', () => {
  test('a function pod meets restricted with no template, and mounts no service account token', () => {
    const template = desiredDeployment(resolveWith(fnOf({ name: 'plain' }), runtime), config).spec!.template;
    expect(checkPodSecurity(template.spec, template.metadata?.annotations, RESTRICTED)).toEqual([]);
    expect(template.spec?.automountServiceAccountToken).toBe(false);
  });

  test('the token is mounted when the Function asks for it', () => {
    const fn = fnOf(ALLOWED.find((c) => c.name.includes('token'))!);
    expect(
      desiredDeployment(resolveWith(fn, runtime), config).spec!.template.spec?.automountServiceAccountToken,
    ).toBe(true);
  });

  test("a CronJobTrigger's pod meets restricted (capabilities dropped, seccomp, read-only root, non-root) with no token", () => {
    const trigger: CronJobTrigger = {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 'tick', namespace: 'team-a', uid: 'u2' },
      spec: { 'function-name': 'hello', schedule: '*/5 * * * *', payload: { a: 1 } },
    };
    const pod = desiredCronJob(trigger, fnOf({ name: 'plain' }), DEFAULT_CONFIG).spec?.jobTemplate.spec
      ?.template;
    expect(checkPodSecurity(pod?.spec, pod?.metadata?.annotations, RESTRICTED)).toEqual([]);
    expect(pod?.spec?.automountServiceAccountToken).toBe(false);
    expect(pod?.spec?.containers[0]?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });
});
