// Renders the real chart with the helm binary test/cluster/build.sh caches (or $HELM). Skipped,
// with the reason printed, only when no helm binary exists on this machine.
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { defaultCatalog, parseCatalog } from '../../../lib/catalog.js';
import {
  BASE_DIR,
  findHelm,
  helmTemplate,
  repoRoot,
  toKustomizeBase,
} from '../../../scripts/render-kustomize.js';

interface Container {
  name: string;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: object; limits?: object };
}
interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    groupPriorityMinimum?: number;
    template?: { spec: { containers: Container[]; initContainers?: Container[] } };
  };
  webhooks?: Array<{
    rules: Array<{ apiGroups: string[]; operations: string[] }>;
    namespaceSelector: { matchExpressions: Array<{ values: string[] }> };
  }>;
}

const helm = findHelm();
const maybe = helm ? describe : describe.skip;
if (!helm) {
  console.warn('chart rendering tests skipped: no helm binary (run bash test/cluster/build.sh or set HELM)');
}

function render(...set: string[]): Obj[] {
  const args = ['template', 'kubeless', path.join(repoRoot, 'charts/kubeless'), '-n', 'kubeless'];
  for (const s of set) args.push('--set', s);
  const out = execFileSync(helm as string, args, { encoding: 'utf8' });
  return YAML.parseAllDocuments(out)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

maybe('the rendered chart', () => {
  const defaults = render();
  const find = (kind: string, name: string): Obj | undefined =>
    defaults.find((o) => o.kind === kind && o.metadata.name === name);

  test.each([['kubeless'], ['ghcr.io/acme/']])(
    'the runtime catalog equals defaultCatalog(%j)',
    (registry) => {
      const objs = registry === 'kubeless' ? defaults : render(`runtimes.registry=${registry}`);
      const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'kubeless-runtimes');
      expect(parseCatalog(cm?.data?.runtimes ?? '')).toEqual(defaultCatalog(registry));
    },
  );

  test('deploy/kustomize/base is the chart rendered with defaults (npm run render:kustomize fixes drift)', () => {
    const expected = toKustomizeBase(helmTemplate(helm as string));
    const dir = path.join(repoRoot, BASE_DIR);
    const actual = new Map(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, content] of expected)
      expect({ name, content: actual.get(name) }).toEqual({ name, content });
  });

  test('every container runs non-root, read-only, without capabilities, with resources', () => {
    const pods = render('kafka.enabled=true', 'kafka.brokers=kafka:9092').filter(
      (o) => o.kind === 'Deployment',
    );
    expect(pods.map((d) => d.metadata.name).sort()).toEqual([
      'kubeless-api',
      'kubeless-controller',
      'kubeless-kafka-trigger',
      'kubeless-webhook',
    ]);
    for (const d of pods) {
      for (const c of d.spec?.template?.spec.containers ?? []) {
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(c.resources?.requests).toBeDefined();
        expect(c.resources?.limits).toBeDefined();
      }
    }
  });

  test('the webhooks see only kubeless.io writes outside kube-system and the install namespace', () => {
    for (const [kind, name] of [
      ['MutatingWebhookConfiguration', 'kubeless-defaults'],
      ['ValidatingWebhookConfiguration', 'kubeless-validation'],
    ]) {
      const hook = find(kind, name)?.webhooks?.[0];
      expect(hook?.rules).toEqual([
        expect.objectContaining({ apiGroups: ['kubeless.io'], operations: ['CREATE', 'UPDATE'] }),
      ]);
      expect(hook?.namespaceSelector.matchExpressions[0].values).toEqual(['kube-system', 'kubeless']);
    }
  });

  test('the APIService ranks below the CRD group (1000) so kubectl resolves functions to the CRD', () => {
    expect(find('APIService', 'v1.subresources.kubeless.io')?.spec?.groupPriorityMinimum).toBeLessThan(1000);
  });

  test('cert-manager mode annotates the webhooks and the APIService for cainjector', () => {
    const objs = render('certificates.mode=cert-manager');
    const annotated = objs
      .filter((o) => o.metadata.annotations?.['cert-manager.io/inject-ca-from'])
      .map((o) => `${o.kind}/${o.metadata.annotations?.['cert-manager.io/inject-ca-from']}`);
    expect(annotated.sort()).toEqual([
      'APIService/kubeless/kubeless-api',
      'MutatingWebhookConfiguration/kubeless/kubeless-webhook',
      'ValidatingWebhookConfiguration/kubeless/kubeless-webhook',
    ]);
    expect(
      objs
        .filter((o) => o.kind === 'Certificate')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['kubeless-api', 'kubeless-webhook']);
  });

  test('helm test: the Pod is the only hook, kept for --logs; what it uses is part of the release', () => {
    // Helm waits for each hook-succeeded deletion (a namespace takes a minute) and `helm test --logs`
    // asks for a pod in the release namespace under every test hook's name.
    const hooks = defaults.filter((o) => o.metadata.annotations?.['helm.sh/hook'] !== undefined);
    expect(
      hooks.map((o) => ({
        what: `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
        hook: o.metadata.annotations?.['helm.sh/hook'],
        deletePolicy: o.metadata.annotations?.['helm.sh/hook-delete-policy'],
      })),
    ).toEqual([
      { what: 'Pod/kubeless/kubeless-helm-test', hook: 'test', deletePolicy: 'before-hook-creation' },
    ]);
    expect(find('Namespace', 'kubeless-helm-test')).toBeDefined();
    expect(find('RoleBinding', 'kubeless-helm-test')?.metadata.namespace).toBe('kubeless-helm-test');
    const withoutTests = render('tests.enabled=false').map((o) => `${o.kind}/${o.metadata.name}`);
    expect(withoutTests.filter((k) => k.includes('helm-test'))).toEqual([]);
  });

  test('kafka.enabled without brokers fails with the value to set', () => {
    expect(() => render('kafka.enabled=true')).toThrow(/kafka.enabled=true needs kafka.brokers/);
  });
});
