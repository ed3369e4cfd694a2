// The HTTPTrigger and CronJobTrigger reconcilers against the real control plane. The controller
// runs as a real `kubeless controller` process (from the TypeScript sources, with tsx) under a
// ServiceAccount bound to the ClusterRole and leader Role the Kustomize base ships (rendered from
// the chart), so a permission the reconcilers need and the RBAC lacks fails this suite.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot, stateDir } from './helpers/cluster.js';
import { spawnController } from './helpers/controller-process.js';
import { kubectl, kubectlJson, kubectlOk } from './helpers/kubectl.js';
import { installChartCrds } from './helpers/crd.js';
import { waitFor } from './helpers/wait.js';

const suffix = `${process.pid}`;
const ns = `e2e-trc-${suffix}`;
const sysNs = `e2e-trc-sys-${suffix}`;
const clusterRole = `kubeless-controller-e2e-trc-${suffix}`;
const base = join(repoRoot, 'deploy/kustomize/base');

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface Meta {
  name: string;
  uid: string;
  generation?: number;
  resourceVersion?: string;
  labels?: Record<string, string>;
  ownerReferences?: { uid: string; kind: string; controller?: boolean }[];
}
interface Trigger {
  metadata: Meta;
  status?: { observedGeneration?: number; functions?: string[]; conditions?: Condition[] };
}
interface Ingress {
  metadata: Meta;
  spec: {
    ingressClassName?: string;
    rules: { host?: string; http: { paths: { path: string; pathType: string; backend: unknown }[] } }[];
  };
}
interface CronJob {
  metadata: Meta;
  spec: {
    schedule: string;
    timeZone?: string;
    jobTemplate: {
      spec: {
        activeDeadlineSeconds?: number;
        template: {
          metadata?: { labels?: Record<string, string> };
          spec: { containers: { args: string[]; env?: { name: string; value: string }[] }[] };
        };
      };
    };
  };
}

// --- the controller, under the shipped RBAC -------------------------------------------------

let controller: ChildProcess | undefined;
let tmp = '';

function baseObject(file: string): Record<string, unknown> & { metadata: Record<string, unknown> } {
  return parse(readFileSync(join(base, file), 'utf8')) as Record<string, unknown> & {
    metadata: Record<string, unknown>;
  };
}

/** The base's controller ClusterRole (renamed, rules untouched) and leader Role, bound to a fresh ServiceAccount. */
async function installRbac(): Promise<void> {
  const role = baseObject('clusterrole-kubeless-controller.yaml');
  const leader = baseObject('role-kubeless-controller-leader.yaml');
  const sa = { kind: 'ServiceAccount', name: 'kubeless-controller', namespace: sysNs };
  const docs = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa.name, namespace: sysNs } },
    { ...role, metadata: { name: clusterRole } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterRole },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [sa],
    },
    { ...leader, metadata: { name: 'kubeless-controller-leader', namespace: sysNs } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'kubeless-controller-leader', namespace: sysNs },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kubeless-controller-leader' },
      subjects: [sa],
    },
  ];
  await kubectlOk(['apply', '-f', '-'], { input: docs.map((d) => stringify(d)).join('---\n') });
}

/** A kubeconfig for the ServiceAccount: the admin one's cluster, with a bound token as the user. */
async function serviceAccountKubeconfig(): Promise<string> {
  const token = (
    await kubectlOk(['create', 'token', 'kubeless-controller', '-n', sysNs, '--duration', '2h'])
  ).trim();
  const admin = await kubectlJson<{ clusters: { name: string; cluster: Record<string, unknown> }[] }>([
    'config',
    'view',
    '--raw',
    '--minify',
  ]);
  const file = join(tmp, 'controller.kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'e2e', cluster: admin.clusters[0].cluster }],
    users: [{ name: 'controller', user: { token } }],
    contexts: [{ name: 'controller', context: { cluster: 'e2e', user: 'controller' } }],
    'current-context': 'controller',
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}

function startController(kubeconfig: string): ChildProcess {
  const args = [
    ...['--kubeconfig', kubeconfig, '--namespace', sysNs, '--identity', `trc-${suffix}`],
    // The leader Role names the Lease kubeless-controller; each suite has its own install namespace.
    ...['--lease-name', 'kubeless-controller', '--lease-duration', '4', '--renew-deadline', '3'],
    ...['--retry-period', '1', '--listen', '127.0.0.1:0', '--workers', '4'],
  ];
  const child = spawnController(args);
  mkdirSync(join(stateDir, 'logs'), { recursive: true });
  const log = createWriteStream(join(stateDir, 'logs', `controller-triggers-${suffix}.log`));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

// --- objects -------------------------------------------------------------------------------

async function apply(obj: object): Promise<void> {
  await kubectlOk(['apply', '-f', '-'], { input: stringify(obj) });
}

function fnObject(name: string, spec: Record<string, unknown> = {}): object {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name, namespace: ns },
    spec: {
      runtime: 'nodejs20',
      handler: 'hello.handler',
      function: "module.exports.handler = () => 'hello';\n",
      'function-content-type': 'text',
      timeout: '30',
      ...spec,
    },
  };
}

async function get<T>(kind: string, name: string): Promise<T | undefined> {
  const r = await kubectl(['get', kind, name, '-n', ns, '-o', 'json']);
  return r.code === 0 ? (JSON.parse(r.stdout) as T) : undefined;
}

const ready = (t: Trigger | undefined) => t?.status?.conditions?.find((c) => c.type === 'Ready');

/** Waits until the trigger's Ready condition has `reason` for its current generation. */
function waitReason(kind: string, name: string, reason: string): Promise<Trigger> {
  return waitFor(`${kind} ${name} Ready reason ${reason}`, async () => {
    const t = await get<Trigger>(kind, name);
    return t && ready(t)?.reason === reason && t.status?.observedGeneration === t.metadata.generation
      ? t
      : undefined;
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'kubeless-trc-'));
  await installChartCrds([
    'functions.kubeless.io',
    'httptriggers.kubeless.io',
    'cronjobtriggers.kubeless.io',
  ]);
  await kubectlOk(['create', 'namespace', ns]);
  await kubectlOk(['create', 'namespace', sysNs]);
  await installRbac();
  controller = startController(await serviceAccountKubeconfig());
}, 120_000);

afterAll(async () => {
  if (controller && controller.exitCode === null && controller.signalCode === null) {
    const exited = new Promise((resolve) => controller?.once('exit', resolve));
    controller.kill('SIGTERM');
    await exited;
  }
  await kubectl(['delete', 'namespace', ns, sysNs, '--wait=false']);
  await kubectl(['delete', 'clusterrole,clusterrolebinding', clusterRole]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('HTTPTrigger and CronJobTrigger for an existing Function', () => {
  test('the controller makes the Ingress and the CronJob with the right fields; the triggers go Ready', async () => {
    await apply(fnObject('hello'));
    await apply({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'HTTPTrigger',
      metadata: { name: 'web', namespace: ns },
      spec: { 'function-name': 'hello', 'host-name': 'hello.example.com', path: 'hi', 'cors-enable': true },
    });
    await apply({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 'nightly', namespace: ns },
      spec: { 'function-name': 'hello', schedule: '0 3 * * *', timeZone: 'Europe/Berlin', payload: { a: 1 } },
    });

    const web = await waitReason('httptrigger', 'web', 'Applied');
    expect(ready(web)).toMatchObject({ status: 'True', message: expect.stringMatching(/Ingress .*\/web/) });
    expect(web.status?.functions).toEqual(['hello']);
    const ing = (await get<Ingress>('ingress', 'web'))!;
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.rules).toEqual([
      {
        host: 'hello.example.com',
        http: {
          paths: [
            {
              path: '/hi',
              pathType: 'Prefix',
              backend: { service: { name: 'hello', port: { number: 8080 } } },
            },
          ],
        },
      },
    ]);
    expect(ing.metadata.labels).toMatchObject({ 'kubeless.io/trigger': 'web', function: 'hello' });
    expect(ing.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'HTTPTrigger', uid: web.metadata.uid, controller: true }),
    ]);

    const nightly = await waitReason('cronjobtrigger', 'nightly', 'Applied');
    const cj = (await get<CronJob>('cronjob', 'nightly'))!;
    expect(cj.spec.schedule).toBe('0 3 * * *');
    expect(cj.spec.timeZone).toBe('Europe/Berlin');
    expect(cj.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(30);
    const container = cj.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.args.slice(0, 3)).toEqual(['invoke', '--url', `http://hello.${ns}.svc:8080`]);
    expect(container.env).toEqual([{ name: 'KUBELESS_PAYLOAD', value: '{"a":1}' }]);
    expect(cj.spec.jobTemplate.spec.template.metadata?.labels).toEqual({ 'kubeless.io/trigger': 'nightly' });
    expect(cj.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'CronJobTrigger', uid: nightly.metadata.uid, controller: true }),
    ]);
  }, 120_000);

  test('a change of the Function’s timeout and Service port reaches the triggers’ objects', async () => {
    await apply(
      fnObject('hello', {
        timeout: '45',
        service: { ports: [{ name: 'http-function-port', port: 9090, targetPort: 8080, protocol: 'TCP' }] },
      }),
    );
    const cj = await waitFor('the CronJob to follow the Function', async () => {
      const c = await get<CronJob>('cronjob', 'nightly');
      return c?.spec.jobTemplate.spec.activeDeadlineSeconds === 45 ? c : undefined;
    });
    expect(cj.spec.jobTemplate.spec.template.spec.containers[0].args[2]).toBe(`http://hello.${ns}.svc:9090`);
    // The Function's own Service moves too (one port: spec.service.ports replace the default).
    await waitFor('the Service to listen on 9090 only', async () => {
      const svc = await get<{ spec: { ports: { port: number }[] } }>('service', 'hello');
      return svc?.spec.ports.map((p) => p.port).join(',') === '9090';
    });
    await waitFor('the Ingress to route to port 9090', async () => {
      const i = await get<Ingress>('ingress', 'web');
      return JSON.stringify(i?.spec.rules[0].http.paths[0].backend).includes('9090');
    });
  }, 120_000);

  test('deleting the HTTPTrigger removes its Ingress', async () => {
    await kubectlOk(['delete', 'httptrigger', 'web', '-n', ns]);
    await waitFor('the Ingress to be collected', async () => (await get('ingress', 'web')) === undefined, {
      timeoutMs: 90_000,
    });
  }, 120_000);

  test('deleting the Function makes the CronJobTrigger FunctionNotFound and removes its CronJob; it returns with the Function', async () => {
    await kubectlOk(['delete', 'functions.kubeless.io', 'hello', '-n', ns]);
    const t = await waitReason('cronjobtrigger', 'nightly', 'FunctionNotFound');
    expect(ready(t)).toMatchObject({
      status: 'False',
      message: expect.stringMatching(/does not exist; deploy it/),
    });
    expect(t.status?.functions).toEqual([]);
    await waitFor('the CronJob to be removed', async () => (await get('cronjob', 'nightly')) === undefined);
    // The trigger itself stays: redeploying the Function brings the CronJob back.
    await apply(fnObject('hello'));
    await waitReason('cronjobtrigger', 'nightly', 'Applied');
    expect((await get<CronJob>('cronjob', 'nightly'))?.spec.schedule).toBe('0 3 * * *');
  }, 120_000);

  test('an Ingress of the same name that the trigger did not make is left alone; the status says so', async () => {
    await apply({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'taken', namespace: ns },
      spec: { defaultBackend: { service: { name: 'someone-else', port: { number: 80 } } } },
    });
    await apply({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'HTTPTrigger',
      metadata: { name: 'taken', namespace: ns },
      spec: { 'function-name': 'hello' },
    });
    const t = await waitReason('httptrigger', 'taken', 'ResourceConflict');
    expect(ready(t)?.message).toMatch(/Ingress .*taken already exists and was not created by this trigger/);
    const ing = (await get<Ingress & { spec: { defaultBackend?: unknown } }>('ingress', 'taken'))!;
    expect(ing.metadata.ownerReferences).toBeUndefined();
    expect(ing.spec.defaultBackend).toEqual({ service: { name: 'someone-else', port: { number: 80 } } });
  }, 120_000);
});
