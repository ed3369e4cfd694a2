// Issue 18, items 5 and 7 on the real control plane (listed in test/security/README.md):
// - our pod judgement (lib/policy/pod-security.ts) agrees with Pod Security Admission itself: every
//   pod the controller renders for the review's requests, and a CronJobTrigger's pod, is sent to
//   kube-apiserver as a Pod (server-side dry run) in a namespace enforcing `restricted`;
// - the controller, with no webhook in the way (as when it is down or set to Ignore), refuses to
//   render a Function the policy forbids: Ready=False PolicyViolation naming the field, an Event,
//   no Deployment; Functions in its own namespace are refused too; an update that breaks the policy
//   leaves the running Deployment as it was.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { stringify } from 'yaml';
import { DEFAULT_CONFIG } from '../../controller/config.js';
import { desiredDeployment } from '../../controller/desired/index.js';
import type { KubelessFunction } from '../../controller/model.js';
import { desiredCronJob } from '../../controller/triggers/cronjob.js';
import { DEFAULT_CATALOG, findRuntime } from '../../lib/catalog.js';
import { checkPodSecurity } from '../../lib/policy/pod-security.js';
import { ALLOWED, REFUSED, type PolicyCase } from '../security/fixtures/function-requests.js';
import { readClusterInfo } from './helpers/cluster.js';
import { spawnController } from './helpers/controller-process.js';
import { installChartCrds } from './helpers/crd.js';
import { kubectl, kubectlJson, kubectlOk } from './helpers/kubectl.js';
import { waitFor } from './helpers/wait.js';
import { resolveWith } from '../helpers/resolve-with.js';

jest.setTimeout(120_000);

const ns = `e2e-policy-${process.pid}`;
const sysNs = `e2e-policy-sys-${process.pid}`;
const pssNs = `e2e-pss-${process.pid}`;
const runtime = findRuntime(DEFAULT_CATALOG, 'nodejs22')!;
const RESTRICTED = { level: 'restricted' as const, allowedVolumeTypes: [], allowedCapabilities: [] };

let controller: ChildProcess | undefined;
let controllerLog = '';

function fnObject(
  name: string,
  c: Pick<PolicyCase, 'deployment' | 'service'>,
  namespace = ns,
): KubelessFunction {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name, namespace, uid: 'u' },
    spec: {
      runtime: runtime.id,
      handler: 'hello.handler',
      function: "module.exports.handler = () => 'hi';\n",
      'function-content-type': 'text',
      ...(c.deployment ? { deployment: c.deployment } : {}),
      ...(c.service ? { service: c.service } : {}),
    } as KubelessFunction['spec'],
  };
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');

/** Pod Security Admission's verdict on a pod, from a server-side dry run. */
async function psaAdmits(
  name: string,
  template: { metadata?: object; spec?: object },
): Promise<{ ok: boolean; out: string }> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...(template.metadata ?? {}), name, namespace: pssNs },
    spec: template.spec,
  };
  const r = await kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(pod) });
  return { ok: r.code === 0, out: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  await installChartCrds([
    'functions.kubeless.io',
    'httptriggers.kubeless.io',
    'cronjobtriggers.kubeless.io',
  ]);
  for (const n of [ns, sysNs, pssNs]) await kubectlOk(['create', 'namespace', n]);
  await kubectlOk(['label', 'namespace', pssNs, 'pod-security.kubernetes.io/enforce=restricted']);
  // So the pod asking for it is judged by Pod Security, not refused as naming a missing account.
  await kubectlOk(['create', 'serviceaccount', 'kubeless-controller', '-n', pssNs]);
  const info = readClusterInfo();
  controller = spawnController(
    [
      ...['--kubeconfig', info.kubeconfig, '--namespace', sysNs],
      ...['--lease-name', `kubeless-policy-${process.pid}`, '--listen', '127.0.0.1:0', '--workers', '2'],
    ],
    'info',
  );
  controller.stdout?.on('data', (c: Buffer) => (controllerLog += c.toString()));
  controller.stderr?.on('data', (c: Buffer) => (controllerLog += c.toString()));
}, 120_000);

afterAll(async () => {
  if (controller && controller.exitCode === null) {
    const exited = new Promise((r) => controller!.once('exit', r));
    controller.kill('SIGTERM');
    await exited;
  }
  await kubectl(['delete', 'namespace', ns, sysNs, pssNs, '--wait=false']);
}, 60_000);

describe('our pod judgement agrees with Pod Security Admission (restricted)', () => {
  const podCases = [...REFUSED, ...ALLOWED].filter((c) => c.deployment || !c.service);
  test.each(podCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const template = desiredDeployment(resolveWith(fnObject('hello', c), runtime), DEFAULT_CONFIG).spec!
      .template;
    const ours = checkPodSecurity(template.spec, template.metadata?.annotations, RESTRICTED);
    const psa = await psaAdmits(slug(name), template);
    // The service account is our rule, not Pod Security's: both admit that pod.
    const admit = c.field === undefined || c.field.endsWith('serviceAccountName');
    expect({ name, psaAdmits: psa.ok, weAdmit: ours.length === 0 }).toEqual({
      name,
      psaAdmits: admit,
      weAdmit: admit,
    });
    if (!psa.ok) expect(psa.out).toMatch(/violates PodSecurity "restricted/);
  });

  test("a CronJobTrigger's pod is admitted under restricted", async () => {
    const trigger = {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 'tick', namespace: pssNs, uid: 'u' },
      spec: { 'function-name': 'hello', schedule: '*/5 * * * *' },
    };
    const pod = desiredCronJob(trigger, fnObject('hello', {}), DEFAULT_CONFIG).spec!.jobTemplate.spec!
      .template;
    const psa = await psaAdmits('tick', pod);
    expect(psa).toEqual({ ok: true, out: expect.stringContaining('created (server dry run)') });
  });
});

async function readyOf(name: string, namespace = ns) {
  const r = await kubectl(['get', 'functions.kubeless.io', name, '-n', namespace, '-o', 'json']);
  if (r.code !== 0) return undefined;
  const fn = JSON.parse(r.stdout) as {
    status?: { conditions?: { type: string; reason: string; message: string }[] };
  };
  return fn.status?.conditions?.find((c) => c.type === 'Ready');
}

async function apply(fn: KubelessFunction): Promise<void> {
  const { uid: _uid, ...metadata } = fn.metadata;
  await kubectlOk(['apply', '-f', '-'], { input: stringify({ ...fn, metadata }) });
}

async function deploymentOf(name: string, namespace = ns) {
  const r = await kubectl(['get', 'deployment', name, '-n', namespace, '-o', 'json']);
  return r.code === 0
    ? (JSON.parse(r.stdout) as {
        spec: { template: { spec: { hostNetwork?: boolean; automountServiceAccountToken?: boolean } } };
      })
    : undefined;
}

describe('the controller re-checks what it renders (no webhook in the way)', () => {
  test('a privileged Function gets Ready=False PolicyViolation naming the field, an Event, and no Deployment', async () => {
    await apply(
      fnObject(
        'privileged',
        REFUSED.find((c) => c.name === 'a privileged container')!,
      ),
    );
    const cond = await waitFor(
      'PolicyViolation',
      async () => {
        const c = await readyOf('privileged');
        return c?.reason === 'PolicyViolation' ? c : undefined;
      },
      { timeoutMs: 60_000 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; controller log:\n${controllerLog.slice(-3000)}`);
    });
    expect(cond.message).toContain(
      'spec.deployment.spec.template.spec.containers[0].securityContext.privileged: Forbidden: true',
    );
    const events = await waitFor('a PolicyViolation Event', async () => {
      const list = await kubectlJson<{ items: { reason: string; type: string }[] }>([
        ...['get', 'events', '-n', ns, '--field-selector'],
        'involvedObject.kind=Function,involvedObject.name=privileged',
      ]);
      return list.items.some((e) => e.reason === 'PolicyViolation') ? list.items : undefined;
    });
    expect(events.find((e) => e.reason === 'PolicyViolation')?.type).toBe('Warning');
    expect(await deploymentOf('privileged')).toBeUndefined();
  });

  test('a Function in the install namespace is refused, however plain', async () => {
    await apply(fnObject('plain', {}, sysNs));
    const cond = await waitFor('the refusal', async () => {
      const c = await readyOf('plain', sysNs);
      return c?.reason === 'PolicyViolation' ? c : undefined;
    });
    expect(cond.message).toContain('metadata.namespace: Forbidden');
    expect(await deploymentOf('plain', sysNs)).toBeUndefined();
  });

  test('a running Function updated to ask for the host network keeps its Deployment as it was', async () => {
    await apply(fnObject('runner', {}));
    const before = await waitFor('the Deployment', () => deploymentOf('runner'));
    expect(before.spec.template.spec.automountServiceAccountToken).toBe(false);
    await apply(
      fnObject(
        'runner',
        REFUSED.find((c) => c.name === "the node's network")!,
      ),
    );
    const cond = await waitFor('PolicyViolation', async () => {
      const c = await readyOf('runner');
      return c?.reason === 'PolicyViolation' ? c : undefined;
    });
    expect(cond.message).toContain('spec.deployment.spec.template.spec.hostNetwork: Forbidden: true');
    expect((await deploymentOf('runner'))?.spec.template.spec.hostNetwork).toBeUndefined();
  });
});
