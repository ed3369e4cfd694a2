// The Function controller against the real control plane (no nodes: pods are created by the
// Deployment controller but never scheduled, so Ready stays False with the scheduler's reason).
// The controller runs as real processes of `kubeless controller`, started from the TypeScript
// sources with tsx so the suite does not depend on a fresh `npm run build`.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { spawnController } from './helpers/controller-process.js';
import { readClusterInfo, repoRoot, stateDir } from './helpers/cluster.js';
import { kubectl, kubectlJson, kubectlOk } from './helpers/kubectl.js';
import { waitFor } from './helpers/wait.js';

const suffix = `${process.pid}`;
const ns = `e2e-ctl-${suffix}`;
const sysNs = `e2e-ctl-sys-${suffix}`;
const leaseName = `kubeless-controller-${suffix}`;
const catalogName = 'kubeless-runtimes';
const LEASE_SECONDS = 4;

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface Obj {
  metadata: {
    name: string;
    uid: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { uid: string; kind: string; controller?: boolean }[];
  };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
  status?: { observedGeneration?: number; readyReplicas?: number; conditions?: Condition[] };
}
interface List<T> {
  items: T[];
}
interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
}
interface Deployment extends Obj {
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: { containers: Container[]; initContainers: Container[] };
    };
    strategy: { rollingUpdate: { maxUnavailable: number } };
  };
}
interface Lease {
  spec: { holderIdentity?: string };
}

// --- the controller processes -------------------------------------------------------------

const children = new Set<ChildProcess>();
/** Every log line each controller printed, by identity, for waiting on what it said. */
const output = new Map<string, string[]>();

function startController(identity: string): ChildProcess {
  const info = readClusterInfo();
  const args = [
    '--kubeconfig',
    info.kubeconfig,
    '--namespace',
    sysNs,
    '--catalog-configmap',
    catalogName,
    '--identity',
    identity,
    '--lease-name',
    leaseName,
    '--lease-duration',
    String(LEASE_SECONDS),
    '--renew-deadline',
    '3',
    '--retry-period',
    '1',
    '--listen',
    '127.0.0.1:0',
    '--workers',
    '4',
  ];
  const child = spawnController(args);
  const logDir = join(stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `controller-${identity}.log`));
  const lines: string[] = [];
  output.set(identity, lines);
  child.stdout?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  });
  child.stderr?.pipe(log);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopController(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

async function leaseHolder(): Promise<string | undefined> {
  const r = await kubectl(['get', 'lease', leaseName, '-n', sysNs, '-o', 'json']);
  if (r.code !== 0) return undefined;
  return (JSON.parse(r.stdout) as Lease).spec.holderIdentity || undefined;
}

// --- objects -------------------------------------------------------------------------------

const CODE = "module.exports.handler = () => 'hello';\n";

function fnManifest(
  name: string,
  spec: Record<string, unknown> = {},
  labels: Record<string, string> = {},
): string {
  return stringify({
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name, namespace: ns, labels },
    spec: {
      runtime: 'nodejs20',
      handler: 'hello.handler',
      function: CODE,
      'function-content-type': 'text',
      ...spec,
    },
  });
}

async function apply(manifest: string): Promise<void> {
  await kubectlOk(['apply', '-f', '-'], { input: manifest });
}

async function get<T extends Obj>(kind: string, name: string, namespace = ns): Promise<T | undefined> {
  const r = await kubectl(['get', kind, name, '-n', namespace, '-o', 'json']);
  return r.code === 0 ? (JSON.parse(r.stdout) as T) : undefined;
}

async function ready(name: string): Promise<Condition | undefined> {
  return (await get('functions.kubeless.io', name))?.status?.conditions?.find((c) => c.type === 'Ready');
}

async function events(name: string): Promise<{ reason: string; type: string; message: string }[]> {
  const list = await kubectlJson<List<{ reason: string; type: string; message: string }>>([
    'get',
    'events',
    '-n',
    ns,
    '--field-selector',
    `involvedObject.kind=Function,involvedObject.name=${name}`,
  ]);
  return list.items;
}

/** A test-only Function CRD when the generated one (charts/kubeless/crds) has not landed yet. */
const FALLBACK_CRD = stringify({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'functions.kubeless.io' },
  spec: {
    group: 'kubeless.io',
    scope: 'Namespaced',
    names: { kind: 'Function', plural: 'functions', singular: 'function', shortNames: ['fn'] },
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
});

/**
 * The generated CRDs when they exist (re-applied: other suites may have left an older schema
 * behind), else a test-only Function CRD when none is installed yet.
 */
async function ensureCrd(): Promise<void> {
  const dir = join(repoRoot, 'charts/kubeless/crds');
  if (existsSync(dir)) await kubectlOk(['apply', '--server-side', '--force-conflicts', '-f', dir]);
  else if ((await kubectl(['get', 'crd', 'functions.kubeless.io'])).code !== 0) await apply(FALLBACK_CRD);
  await kubectlOk(['wait', '--for=condition=Established', 'crd/functions.kubeless.io', '--timeout=60s']);
}

let leader: ChildProcess;

beforeAll(async () => {
  await ensureCrd();
  await kubectlOk(['create', 'namespace', ns]);
  await kubectlOk(['create', 'namespace', sysNs]);
  leader = startController('first');
  await waitFor('the first controller to take the lease', async () => (await leaseHolder()) === 'first', {
    timeoutMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([...children].map((c) => stopController(c)));
  await kubectl(['delete', 'namespace', ns, sysNs, '--wait=false']);
}, 60_000);

describe('a Function becomes a ConfigMap, a Deployment and a Service', () => {
  const name = 'hello';

  test('created with the contract’s fields and owner references; status reports the truth', async () => {
    await apply(fnManifest(name, { deps: '{"dependencies":{}}', timeout: '30' }, { team: 'a' }));
    const fn = await waitFor('the Function to exist', () => get('functions.kubeless.io', name));
    const cm = await waitFor('the ConfigMap', () => get('configmap', name));
    const dep = await waitFor('the Deployment', () => get<Deployment>('deployment', name));
    const svc = await waitFor('the Service', () => get('service', name));

    for (const o of [cm, dep, svc]) {
      expect(o.metadata.labels).toMatchObject({ function: name, 'created-by': 'kubeless', team: 'a' });
      expect(o.metadata.ownerReferences).toEqual([
        expect.objectContaining({ uid: fn.metadata.uid, kind: 'Function', controller: true }),
      ]);
    }
    expect(cm.data).toMatchObject({
      'hello.js': CODE,
      'package.json': '{"dependencies":{}}',
      handler: 'hello.handler',
    });
    const pod = dep.spec.template.spec;
    expect(pod.initContainers.map((c) => c.name)).toEqual(['prepare', 'install']);
    const env = Object.fromEntries((pod.containers[0].env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      FUNC_HANDLER: 'handler',
      MOD_NAME: 'hello',
      FUNC_TIMEOUT: '30',
      FUNC_PORT: '8080',
      FUNC_RUNTIME: 'nodejs20',
      KUBELESS_INSTALL_VOLUME: '/kubeless',
    });
    expect(dep.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(svc.spec).toMatchObject({
      ports: [expect.objectContaining({ name: 'http-function-port', port: 8080 })],
      selector: { function: name, 'created-by': 'kubeless' },
    });

    // No nodes: the scheduler leaves the pod Pending, and the condition says why.
    const cond = await waitFor(
      'Ready=False with the scheduler’s reason',
      async () => {
        const c = await ready(name);
        return c?.reason === 'Unschedulable' ? c : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(cond.status).toBe('False');
    expect(cond.message).toMatch(/cannot be scheduled/);
    const status = (await get('functions.kubeless.io', name))?.status;
    expect(status?.observedGeneration).toBe(fn.metadata.generation);
    expect(status?.readyReplicas).toBe(0);
  }, 120_000);

  test('a code change rolls the pod template and records an Event; observedGeneration follows', async () => {
    const before = (await get<Deployment>('deployment', name))!;
    const sum = before.spec.template.metadata.annotations['kubeless.io/template-checksum'];
    await apply(
      fnManifest(
        name,
        { deps: '{"dependencies":{}}', timeout: '30', function: `${CODE}// v2\n` },
        { team: 'a' },
      ),
    );
    const after = await waitFor('a new template checksum', async () => {
      const d = await get<Deployment>('deployment', name);
      return d && d.spec.template.metadata.annotations['kubeless.io/template-checksum'] !== sum
        ? d
        : undefined;
    });
    expect(after.metadata.generation).toBeGreaterThan(before.metadata.generation ?? 0);
    expect((await get('configmap', name))?.data?.['hello.js']).toContain('// v2');
    await waitFor('a RolloutStarted event', async () =>
      (await events(name)).some((e) => e.reason === 'RolloutStarted'),
    );
    const fn = (await get('functions.kubeless.io', name))!;
    await waitFor('observedGeneration to catch up', async () => {
      const f = await get('functions.kubeless.io', name);
      return f?.status?.observedGeneration === fn.metadata.generation;
    });
  }, 60_000);

  test('changing only a label is reconciled onto every object', async () => {
    await apply(
      fnManifest(
        name,
        { deps: '{"dependencies":{}}', timeout: '30', function: `${CODE}// v2\n` },
        { team: 'b' },
      ),
    );
    for (const kind of ['configmap', 'deployment', 'service']) {
      await waitFor(
        `the ${kind} label to follow`,
        async () => (await get(kind, name))?.metadata.labels?.team === 'b',
      );
    }
  }, 60_000);

  test('changing only the runtime rolls the Deployment to that runtime’s image', async () => {
    const spec = {
      deps: '{"dependencies":{}}',
      timeout: '30',
      function: `${CODE}// v2\n`,
      runtime: 'nodejs22',
    };
    await apply(fnManifest(name, spec, { team: 'b' }));
    const dep = await waitFor('the nodejs22 image', async () => {
      const d = await get<Deployment>('deployment', name);
      return d?.spec.template.spec.containers[0].image.endsWith(':22') ? d : undefined;
    });
    const env = Object.fromEntries(
      (dep.spec.template.spec.containers[0].env ?? []).map((e) => [e.name, e.value]),
    );
    expect(env.FUNC_RUNTIME).toBe('nodejs22');
  }, 60_000);

  test('deleting the Function garbage-collects its objects', async () => {
    await kubectlOk(['delete', 'functions.kubeless.io', name, '-n', ns]);
    for (const kind of ['configmap', 'deployment', 'service']) {
      await waitFor(`the ${kind} to be collected`, async () => (await get(kind, name)) === undefined, {
        timeoutMs: 60_000,
      });
    }
  }, 120_000);
});

describe('refusals and configuration', () => {
  test('a ConfigMap of the same name made by someone else is not taken over; the condition says so', async () => {
    await kubectlOk(['create', 'configmap', 'taken', '-n', ns, '--from-literal=owner=someone-else']);
    await apply(fnManifest('taken'));
    const cond = await waitFor('a ResourceConflict condition', async () => {
      const c = await ready('taken');
      return c?.reason === 'ResourceConflict' ? c : undefined;
    });
    expect(cond.message).toMatch(/ConfigMap .*taken already exists and was not created by this Function/);
    const cm = (await get('configmap', 'taken'))!;
    expect(cm.data).toEqual({ owner: 'someone-else' });
    expect(cm.metadata.ownerReferences).toBeUndefined();
    expect(await get('deployment', 'taken')).toBeUndefined();
    await waitFor('a Warning event', async () =>
      (await events('taken')).some((e) => e.type === 'Warning' && e.reason === 'ResourceConflict'),
    );
  }, 60_000);

  test('a runtime missing from the catalog gives Ready=False RuntimeNotFound and an Event', async () => {
    await apply(fnManifest('nort'));
    await waitFor('the Deployment', () => get('deployment', 'nort'));
    // The catalog, not the Function, loses the runtime: the controller must notice without a restart.
    const catalog = {
      runtimes: [
        {
          id: 'python3.12',
          language: 'python',
          version: '3.12',
          depsFile: 'requirements.txt',
          suffix: '.py',
          images: { runtime: 'example/python:3.12', install: 'example/python:3.12' },
        },
      ],
    };
    await kubectlOk([
      'create',
      'configmap',
      catalogName,
      '-n',
      sysNs,
      `--from-literal=runtimes=${stringify(catalog)}`,
    ]);
    const cond = await waitFor('RuntimeNotFound', async () => {
      const c = await ready('nort');
      return c?.reason === 'RuntimeNotFound' ? c : undefined;
    });
    expect(cond.message).toMatch(/runtime "nodejs20" is not in the runtime catalog .*one of: python3.12/);
    await waitFor('a RuntimeNotFound event', async () =>
      (await events('nort')).some((e) => e.reason === 'RuntimeNotFound'),
    );
  }, 60_000);

  test('a catalog change is picked up live and rolls the Deployment to the new image', async () => {
    const catalog = {
      runtimes: [
        {
          id: 'nodejs20',
          language: 'nodejs',
          version: '20',
          depsFile: 'package.json',
          suffix: '.js',
          images: { runtime: 'example/node:20-patched', install: 'example/node:20-patched' },
        },
      ],
    };
    await apply(
      stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: catalogName, namespace: sysNs },
        data: { runtimes: stringify(catalog) },
      }),
    );
    const dep = await waitFor('the new runtime image', async () => {
      const d = await get<Deployment>('deployment', 'nort');
      return d?.spec.template.spec.containers[0].image === 'example/node:20-patched' ? d : undefined;
    });
    expect(dep.spec.template.spec.containers[0].image).toBe('example/node:20-patched');
    await waitFor(
      'the condition to leave RuntimeNotFound',
      async () => (await ready('nort'))?.reason !== 'RuntimeNotFound',
    );
  }, 60_000);
});

describe('two controllers', () => {
  test('one leads; when it is killed the other takes over within the lease time, with no duplicates', async () => {
    startController('second');
    await waitFor('the second controller to run', async () =>
      output.get('second')?.some((l) => l.includes('waiting for the leader lease')),
    );
    // While the first renews, the second must stay a follower.
    await new Promise((r) => setTimeout(r, (LEASE_SECONDS + 1) * 1000));
    expect(await leaseHolder()).toBe('first');
    expect(output.get('second')?.some((l) => l.includes('became leader'))).toBe(false);

    await stopController(leader, 'SIGKILL');
    const killedAt = Date.now();
    await waitFor('the second controller to lead', async () => (await leaseHolder()) === 'second', {
      timeoutMs: (LEASE_SECONDS + 10) * 1000,
      intervalMs: 200,
    });
    // Lease duration, plus one retry period and the polling of this test.
    expect(Date.now() - killedAt).toBeLessThan((LEASE_SECONDS + 4) * 1000);

    await apply(fnManifest('after-failover'));
    await waitFor('the new leader to reconcile', () => get('deployment', 'after-failover'), {
      timeoutMs: 60_000,
    });
    const managers = (
      await kubectlJson<{ metadata: { managedFields: { manager: string; operation: string }[] } }>([
        'get',
        'deployment',
        'after-failover',
        '-n',
        ns,
        '--show-managed-fields',
      ])
    ).metadata.managedFields.filter((m) => m.manager === 'kubeless-controller');
    expect(managers).toEqual([expect.objectContaining({ operation: 'Apply' })]);
    await Promise.all([...children].map((c) => stopController(c)));
  }, 120_000);

  test('a controller killed mid-way through 200 Functions converges after restart with no duplicates', async () => {
    const count = 200;
    const list = Array.from({ length: count }, (_, i) => fnManifest(`bulk-${i}`, {}, { bulk: 'batch' })).join(
      '---\n',
    );
    await apply(list);
    const first = startController('bulk-1');
    await waitFor(
      'some but not all Functions to be reconciled',
      async () => {
        const n = (await kubectlJson<List<Obj>>(['get', 'deployments', '-n', ns, '-l', 'bulk=batch'])).items
          .length;
        return n >= 10;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await stopController(first, 'SIGKILL');
    const partial = (await kubectlJson<List<Obj>>(['get', 'deployments', '-n', ns, '-l', 'bulk=batch'])).items
      .length;
    expect(partial).toBeLessThan(count);

    const restarted = startController('bulk-2');
    for (const kind of ['configmaps', 'deployments', 'services']) {
      await waitFor(
        `${count} ${kind}`,
        async () =>
          (await kubectlJson<List<Obj>>(['get', kind, '-n', ns, '-l', 'bulk=batch'])).items.length === count,
        // Generous: on a shared 2-core machine the control plane itself is often starved.
        { timeoutMs: 420_000, intervalMs: 1000 },
      );
    }
    const deployments = await kubectlJson<List<Obj>>(['get', 'deployments', '-n', ns, '-l', 'bulk=batch']);
    const names = deployments.items.map((d) => d.metadata.name);
    expect(new Set(names).size).toBe(count);
    // One ReplicaSet per Deployment: no template was applied twice with different content.
    const rs = await kubectlJson<List<Obj>>(['get', 'replicasets', '-n', ns, '-l', 'function']);
    const perOwner = new Map<string, number>();
    for (const r of rs.items) {
      const owner = r.metadata.ownerReferences?.[0]?.uid ?? '';
      perOwner.set(owner, (perOwner.get(owner) ?? 0) + 1);
    }
    const bulkUids = new Set(deployments.items.map((d) => d.metadata.uid));
    expect([...perOwner].filter(([uid, n]) => bulkUids.has(uid) && n > 1)).toEqual([]);
    await stopController(restarted);
  }, 900_000);
});
