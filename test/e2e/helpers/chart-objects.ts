// The chart's registration objects (webhook configurations, APIService) for tests and benches that
// serve the webhook or the aggregated API from the host. The chart is what users install, so the
// objects are rendered from it and never restated here: only where the server is reached, the CA
// to trust, the names (so suites can share one cluster) and a namespace scope are changed.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import YAML from 'yaml';
import { findHelm, repoRoot } from '../../../scripts/render-kustomize.js';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

interface ServiceRef {
  namespace: string;
  name: string;
  path?: string;
  port?: number;
}

export interface WebhookEntry {
  name: string;
  clientConfig: { service?: ServiceRef; url?: string; caBundle?: string };
  namespaceSelector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values: string[] }[];
  };
}

export interface WebhookConfig extends KubeObject {
  webhooks: WebhookEntry[];
}

export interface ApiService extends KubeObject {
  spec: { service: ServiceRef; caBundle?: string; groupPriorityMinimum: number };
}

/**
 * `helm template` of the chart installed in `namespace`, only the named template files (e.g.
 * `templates/api.yaml`), so each caller gets the objects exactly as that install would have them.
 */
export function renderChart(namespace: string, templates: string[], set: string[] = []): KubeObject[] {
  const helm = findHelm();
  if (!helm) {
    throw new Error(
      'no helm binary to render charts/kubeless: set HELM=/path/to/helm or run bash test/cluster/build.sh',
    );
  }
  const args = ['template', 'kubeless', path.join(repoRoot, 'charts/kubeless'), '-n', namespace];
  for (const t of templates) args.push('--show-only', t);
  for (const s of set) args.push('--set', s);
  const out = execFileSync(helm, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return parseObjects(out);
}

/** Pure: a multi-document YAML stream to its objects (empty documents dropped). */
export function parseObjects(text: string): KubeObject[] {
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

/** The mutating then the validating configuration among rendered objects. */
export function webhookConfigs(objects: KubeObject[]): WebhookConfig[] {
  const kinds = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];
  const found = kinds.map((k) => objects.find((o) => o.kind === k));
  if (found.some((o) => o === undefined))
    throw new Error(`the chart rendered no ${kinds.join(' or ')}; check charts/kubeless/templates`);
  return found as WebhookConfig[];
}

export function apiService(objects: KubeObject[]): ApiService {
  const found = objects.find((o) => o.kind === 'APIService');
  if (!found) throw new Error('the chart rendered no APIService; check charts/kubeless/templates/api.yaml');
  return found as ApiService;
}

export interface HostTarget {
  /** Reach the webhook at this base URL instead of the Service (e.g. https://10.213.0.1:8443). */
  url?: string;
  /** PEM CA bundle to trust (the chart leaves it to the certificate manager). */
  caBundle?: string;
  /** Prefix for the configuration names, to register several webhooks side by side. */
  namePrefix?: string;
}

/** Pure: the configurations re-aimed at a server outside the cluster; the input is not changed. */
export function aimWebhookConfigs(configs: WebhookConfig[], target: HostTarget): WebhookConfig[] {
  return configs.map((cfg) => ({
    ...cfg,
    metadata: {
      ...cfg.metadata,
      name: target.namePrefix ? `${target.namePrefix}-${cfg.metadata.name}` : cfg.metadata.name,
    },
    webhooks: cfg.webhooks.map((w) => {
      const clientConfig = target.url
        ? { url: `${target.url.replace(/\/$/, '')}${w.clientConfig.service?.path ?? '/'}` }
        : { ...w.clientConfig };
      // The API wants the PEM base64-encoded inside the JSON/YAML object.
      if (target.caBundle) clientConfig.caBundle = Buffer.from(target.caBundle).toString('base64');
      return { ...w, clientConfig };
    }),
  }));
}

/**
 * Pure: narrows configurations to namespaces carrying a label, for sharing a cluster with other
 * users (tests, benchmarks) without intercepting their writes.
 */
export function scopeToNamespaceLabel(configs: WebhookConfig[], key: string, value: string): WebhookConfig[] {
  return configs.map((cfg) => ({
    ...cfg,
    webhooks: cfg.webhooks.map((w) => ({
      ...w,
      namespaceSelector: {
        ...w.namespaceSelector,
        matchLabels: { ...w.namespaceSelector?.matchLabels, [key]: value },
      },
    })),
  }));
}

/** Pure: the chart's APIService trusting `caBundle` (PEM) for the server it names. */
export function withCaBundle(service: ApiService, caBundle: string): ApiService {
  return { ...service, spec: { ...service.spec, caBundle: Buffer.from(caBundle).toString('base64') } };
}
