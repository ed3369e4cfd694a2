// The webhook configurations users install keep a down webhook from wedging the cluster: these are
// the properties that guarantee it, read from deploy/kustomize/base (the chart rendered with its
// defaults; test/unit/chart/rendered.test.ts fails when the two drift), so no helm is needed here.
// Also the re-aiming that e2e tests and benches apply to register a webhook running on the host.
import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  aimWebhookConfigs,
  parseObjects,
  scopeToNamespaceLabel,
  webhookConfigs,
  type WebhookConfig,
} from '../../e2e/helpers/chart-objects.js';
import { BASE_DIR, INSTALL_NAMESPACE, repoRoot } from '../../../scripts/render-kustomize.js';

interface Hook {
  name: string;
  clientConfig: {
    service?: { namespace: string; name: string; path: string };
    url?: string;
    caBundle?: string;
  };
  rules: { apiGroups: string[]; operations: string[]; resources: string[] }[];
  namespaceSelector: {
    matchExpressions: { key: string; operator: string; values: string[] }[];
    matchLabels?: Record<string, string>;
  };
  matchConditions: { expression: string }[];
  failurePolicy: string;
  sideEffects: string;
  timeoutSeconds: number;
  admissionReviewVersions: string[];
}

const configs: WebhookConfig[] = webhookConfigs(
  [
    'mutatingwebhookconfiguration-kubeless-defaults.yaml',
    'validatingwebhookconfiguration-kubeless-validation.yaml',
  ].flatMap((f) => parseObjects(readFileSync(path.join(repoRoot, BASE_DIR, f), 'utf8'))),
);
const hooks = configs.flatMap((c) => c.webhooks as unknown as Hook[]);

test('one mutating and one validating configuration, each pointing at its path on the Service', () => {
  expect(configs.map((c) => c.kind)).toEqual([
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
  ]);
  expect(hooks.map((h) => h.clientConfig.service)).toEqual([
    { namespace: INSTALL_NAMESPACE, name: 'kubeless-webhook', path: '/mutate', port: 443 },
    { namespace: INSTALL_NAMESPACE, name: 'kubeless-webhook', path: '/validate', port: 443 },
  ]);
});

test.each(hooks.map((h) => [h.name, h]))(
  '%s: only kubeless.io writes, never deletes, never system namespaces',
  (_n, h) => {
    const hook = h as Hook;
    for (const r of hook.rules) {
      expect(r.apiGroups).toEqual(['kubeless.io']);
      expect([...r.operations].sort()).toEqual(['CREATE', 'UPDATE']);
      expect(r.resources.every((res) => !res.includes('/'))).toBe(true);
    }
    expect(hook.namespaceSelector.matchExpressions).toContainEqual({
      key: 'kubernetes.io/metadata.name',
      operator: 'NotIn',
      values: ['kube-system', INSTALL_NAMESPACE],
    });
    expect(hook.matchConditions.map((c) => c.expression)).toContain(
      '!has(object.metadata.deletionTimestamp)',
    );
    expect(hook.failurePolicy).toBe('Fail');
    expect(hook.sideEffects).toBe('NoneOnDryRun');
    expect(hook.timeoutSeconds).toBeLessThanOrEqual(10);
    expect(hook.admissionReviewVersions).toEqual(['v1']);
  },
);

test('url mode, a caBundle and a namespace label scope can be layered on for out-of-cluster use', () => {
  const [m] = scopeToNamespaceLabel(
    aimWebhookConfigs(configs, { url: 'https://10.0.0.1:8443/', caBundle: 'PEM', namePrefix: 't' }),
    'team',
    'a',
  );
  const hook = m!.webhooks[0] as unknown as Hook;
  expect(m!.metadata.name).toBe('t-kubeless-defaults');
  expect(hook.clientConfig).toEqual({
    url: 'https://10.0.0.1:8443/mutate',
    caBundle: Buffer.from('PEM').toString('base64'),
  });
  expect(hook.namespaceSelector.matchLabels).toEqual({ team: 'a' });
  expect(hook.namespaceSelector.matchExpressions).toHaveLength(1);
  // Re-aiming copies: the chart's objects stay as rendered for the next caller.
  expect(configs[0]!.metadata.name).toBe('kubeless-defaults');
  expect((configs[0]!.webhooks[0] as unknown as Hook).clientConfig.url).toBeUndefined();
});
