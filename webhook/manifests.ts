import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

// Renders webhook/manifests/*.yaml for a given install: the chart does the same with Helm; tests
// and `url:` registrations (a webhook outside the cluster) use this.

export interface WebhookConfigTarget {
  namespace: string;
  service: string;
  /** Reach the webhook at this base URL instead of the Service (e.g. https://10.213.0.1:8443). */
  url?: string;
  /** PEM CA bundle to trust; usually left for the certificate manager to fill in. */
  caBundle?: string;
  /** Override the configuration names, e.g. to register several test webhooks side by side. */
  namePrefix?: string;
}

interface WebhookEntry {
  name: string;
  clientConfig: { service?: { path?: string }; url?: string; caBundle?: string };
}
interface Config {
  kind: string;
  metadata: { name: string };
  webhooks: WebhookEntry[];
}

// Source and compiled layouts differ (webhook/ vs dist/webhook/); the YAML stays beside the source.
function manifestDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${'/dist/'}`) ? join(here, '../../webhook/manifests') : join(here, 'manifests');
}

export function renderWebhookConfigs(target: WebhookConfigTarget, dir: string = manifestDir()): Config[] {
  return ['mutating.yaml', 'validating.yaml'].map((file) => {
    const text = readFileSync(join(dir, file), 'utf8')
      .replaceAll('${NAMESPACE}', target.namespace)
      .replaceAll('${SERVICE}', target.service);
    const cfg = YAML.parse(text) as Config;
    if (target.namePrefix) cfg.metadata.name = `${target.namePrefix}-${cfg.metadata.name}`;
    for (const w of cfg.webhooks) {
      if (target.url) {
        const path = w.clientConfig.service?.path ?? '/';
        w.clientConfig = { url: `${target.url.replace(/\/$/, '')}${path}` };
      }
      if (target.caBundle) w.clientConfig.caBundle = Buffer.from(target.caBundle).toString('base64');
    }
    return cfg;
  });
}

/**
 * Narrows rendered configurations to namespaces carrying a label: for sharing a cluster with other
 * users (tests, benchmarks) without intercepting their writes.
 */
export function scopeToNamespaceLabel(configs: Config[], key: string, value: string): Config[] {
  return configs.map((cfg) => ({
    ...cfg,
    webhooks: cfg.webhooks.map((w) => {
      const entry = w as WebhookEntry & { namespaceSelector?: { matchLabels?: Record<string, string> } };
      return {
        ...entry,
        namespaceSelector: {
          ...entry.namespaceSelector,
          matchLabels: { ...entry.namespaceSelector?.matchLabels, [key]: value },
        },
      };
    }),
  }));
}
