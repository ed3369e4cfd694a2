// The chart on the real control plane: lint, server-side dry runs, install, upgrade, uninstall and
// the Kustomize base. There are no nodes, so pods never start; everything here is what
// kube-apiserver accepts and what Helm creates and removes.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { join } from 'node:path';
import { repoRoot } from './helpers/cluster.js';
import { kubectl, kubectlJson, kubectlOk, run } from './helpers/kubectl.js';
import { waitFor } from './helpers/wait.js';

jest.setTimeout(180_000);

const chart = join(repoRoot, 'charts/kubeless');
const release = 'kubeless';
const ns = 'kubeless';
const dryNs = `e2e-chart-dry-${process.pid}`;
// Concurrent suites share this control plane and create Functions; while the chart's webhook has
// no running pods, fail-closed configurations would refuse their writes, so the test installs
// with Ignore. Everything else is the default install.
const shareSafe = ['--set', 'webhook.failurePolicy=Ignore'];

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}

async function helm(args: string[], timeoutMs = 120_000): Promise<{ code: number; out: string }> {
  const r = await run('helm', args, { timeoutMs });
  return { code: r.code, out: `${r.stdout}\n${r.stderr}` };
}

async function helmOk(args: string[]): Promise<string> {
  const r = await helm(args);
  if (r.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.code}: ${r.out.trim()}`);
  return r.out;
}

async function gone(args: string[]): Promise<boolean> {
  const r = await kubectl(['get', ...args]);
  return r.code !== 0 && /NotFound|not found/.test(r.stderr);
}

beforeAll(async () => {
  // A release left by an interrupted run would make install fail for the wrong reason.
  await helm(['uninstall', release, '-n', ns, '--ignore-not-found', '--wait']);
  await kubectlOk(['create', 'namespace', dryNs]);
});

afterAll(async () => {
  await helm(['uninstall', release, '-n', ns, '--ignore-not-found']);
  await kubectl(['delete', 'namespace', dryNs, ns, '--wait=false', '--ignore-not-found']);
});

test('helm lint --strict is clean, with defaults and with every option on', async () => {
  await helmOk(['lint', '--strict', chart]);
  await helmOk([
    'lint',
    '--strict',
    chart,
    ...['--set', 'kafka.enabled=true,kafka.brokers=kafka:9092,kafka.tls.enabled=true,kafka.tls.secretName=t'],
    ...['--set', 'kafka.sasl.mechanism=scram-sha-512,kafka.sasl.secretName=s,certificates.mode=cert-manager'],
    ...['--set', 'networkPolicy.enabled=true,serviceMonitor.enabled=true'],
  ]);
});

test('helm template passes kubectl apply --dry-run=server (Kafka trigger and NetworkPolicy on)', async () => {
  const manifest = await helmOk([
    'template',
    release,
    chart,
    '-n',
    dryNs,
    '--include-crds',
    // helm test's objects need their namespace to exist (a server dry run creates nothing); the
    // next test applies them for real.
    '--skip-tests',
    ...['--set', 'tests.enabled=false'],
    ...['--set', 'kafka.enabled=true,kafka.brokers=kafka:9092,networkPolicy.enabled=true'],
  ]);
  const out = await kubectlOk(['apply', '--dry-run=server', '-f', '-'], { input: manifest });
  expect(out).toMatch(
    /apiservice.apiregistration.k8s.io\/v1.subresources.kubeless.io (created|configured) \(server dry run\)/,
  );
  expect(out).toMatch(/deployment.apps\/kubeless-kafka-trigger created \(server dry run\)/);
});

test('helm test objects are accepted by the apiserver (its Pod cannot run without nodes)', async () => {
  // The test namespace is <release>-helm-test; render as release dryNs so the names stay unique.
  const testNs = `${dryNs}-helm-test`;
  const manifest = await helmOk([
    'template',
    dryNs,
    chart,
    '-n',
    dryNs,
    '--show-only',
    'templates/tests/access.yaml',
    '--show-only',
    'templates/tests/invoke.yaml',
  ]);
  try {
    const out = await kubectlOk(['apply', '-f', '-'], { input: manifest });
    expect(out).toMatch(new RegExp(`namespace/${testNs} created`));
    expect(out).toMatch(/pod\/kubeless-helm-test created/);
    expect(out).toMatch(/rolebinding.rbac.authorization.k8s.io\/kubeless-helm-test created/);
  } finally {
    await kubectl(['delete', 'namespace', testNs, '--wait=false']);
  }
});

test('a wrong value is rejected by helm install with the schema message, and nothing is installed', async () => {
  const r = await helm([
    'install',
    release,
    chart,
    '-n',
    ns,
    '--create-namespace',
    '--set-string',
    'webhook.replicas=two',
  ]);
  expect(r.code).not.toBe(0);
  expect(r.out).toMatch(/at '\/webhook\/replicas': got string, want integer/);
  expect((await helm(['status', release, '-n', ns])).code).not.toBe(0);
});

describe('install, upgrade, uninstall', () => {
  test('helm install creates every component, the APIService and the scoped webhooks', async () => {
    await helmOk(['install', release, chart, '-n', ns, '--create-namespace', ...shareSafe]);
    const deployments = await kubectlJson<{ items: Array<{ metadata: { name: string } }> }>([
      'get',
      'deployments',
      '-n',
      ns,
    ]);
    expect(deployments.items.map((d) => d.metadata.name).sort()).toEqual([
      'kubeless-api',
      'kubeless-controller',
      'kubeless-webhook',
    ]);
    await kubectlOk(['get', 'apiservice', 'v1.subresources.kubeless.io']);
    await kubectlOk(['get', 'mutatingwebhookconfiguration', 'kubeless-defaults']);
    await kubectlOk(['get', 'validatingwebhookconfiguration', 'kubeless-validation']);
    await kubectlOk([
      'get',
      'rolebinding',
      '-n',
      'kube-system',
      'kubeless-api:extension-apiserver-authentication-reader',
    ]);
  });

  test('a Function in the install namespace is refused by the ValidatingAdmissionPolicy, with no webhook running', async () => {
    // The webhooks skip this namespace and have no pods here: only kube-apiserver's own policy answers.
    const fn = (namespace: string) =>
      JSON.stringify({
        apiVersion: 'kubeless.io/v1beta1',
        kind: 'Function',
        metadata: { name: 'intruder', namespace },
        spec: { runtime: 'nodejs22', handler: 'h.f', function: 'module.exports.f = () => 1;' },
      });
    // A new policy takes a moment to be compiled and enforced.
    const refused = await waitFor('the policy to refuse', async () => {
      const r = await kubectl(['create', '--dry-run=server', '-f', '-'], { input: fn(ns) });
      return r.code !== 0 && /kubeless-install-namespace/.test(r.stderr) ? r.stderr : undefined;
    });
    expect(refused).toContain("Kubeless's own namespace");
    const elsewhere = await kubectl(['create', '--dry-run=server', '-f', '-'], { input: fn(dryNs) });
    expect({ code: elsewhere.code, err: elsewhere.stderr }).toEqual({ code: 0, err: '' });
  });

  test('the built-in edit and view roles gain the kubeless rules through aggregation', async () => {
    const rulesOf = async (role: string): Promise<Rule[]> =>
      (await kubectlJson<{ rules: Rule[] | null }>(['get', 'clusterrole', role])).rules ?? [];
    const grants = (rules: Rule[], group: string, resource: string, verb: string): boolean =>
      rules.some(
        (r) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs.includes(verb),
      );
    await waitFor('edit to include functions/invoke', async () =>
      grants(await rulesOf('edit'), 'subresources.kubeless.io', 'functions/invoke', 'create'),
    );
    const view = await waitFor('view to include functions/log', async () => {
      const rules = await rulesOf('view');
      return grants(rules, 'subresources.kubeless.io', 'functions/log', 'get') ? rules : undefined;
    });
    expect(grants(view, 'kubeless.io', 'functions', 'list')).toBe(true);
    expect(grants(view, 'kubeless.io', 'functions', 'create')).toBe(false);
    expect(grants(view, 'subresources.kubeless.io', 'functions/invoke', 'create')).toBe(false);
  });

  test('kubectl kustomize deploy/kustomize/base passes apply --dry-run=server', async () => {
    const manifest = await kubectlOk(['kustomize', join(repoRoot, 'deploy/kustomize/base')]);
    const out = await kubectlOk(['apply', '--dry-run=server', '-f', '-'], { input: manifest });
    expect(out).toMatch(
      /deployment.apps\/kubeless-controller (configured|unchanged|created) \(server dry run\)/,
    );
  });

  test('helm upgrade with a changed value rolls it into the Deployment', async () => {
    await helmOk(['upgrade', release, chart, '-n', ns, '--reuse-values', '--set', 'controller.workers=3']);
    const d = await kubectlJson<{ spec: { template: { spec: { containers: Array<{ args: string[] }> } } } }>([
      'get',
      'deployment',
      'kubeless-controller',
      '-n',
      ns,
    ]);
    expect(d.spec.template.spec.containers[0].args).toContain('--workers=3');
  });

  test('helm uninstall removes everything cluster-wide, and namespaces delete normally afterwards', async () => {
    await helmOk(['uninstall', release, '-n', ns, '--wait']);
    for (const what of [
      ['apiservice', 'v1.subresources.kubeless.io'],
      ['mutatingwebhookconfiguration', 'kubeless-defaults'],
      ['validatingwebhookconfiguration', 'kubeless-validation'],
      ['clusterrole', 'kubeless-controller'],
      ['validatingadmissionpolicy', 'kubeless-install-namespace'],
      ['validatingadmissionpolicybinding', 'kubeless-install-namespace'],
      ['clusterrole', 'kubeless-edit'],
      ['clusterrolebinding', 'kubeless-api:system:auth-delegator'],
      ['rolebinding', '-n', 'kube-system', 'kubeless-api:extension-apiserver-authentication-reader'],
    ]) {
      expect({ what, gone: await gone(what) }).toEqual({ what, gone: true });
    }
    // A stale APIService makes the namespace controller's discovery fail and namespaces hang in
    // Terminating; this is the user-visible check that nothing of the kind is left.
    const probe = `e2e-chart-after-${process.pid}`;
    await kubectlOk(['create', 'namespace', probe]);
    await kubectlOk(['delete', 'namespace', probe, '--wait=false']);
    await waitFor(`namespace ${probe} to be deleted`, () => gone(['namespace', probe]), {
      timeoutMs: 90_000,
    });
  });
});
