// A real `kubeless webhook` served on the host and registered with the test control plane through
// the chart's own configurations, narrowed to namespaces carrying one label so that suites and
// benches sharing the cluster never intercept each other's writes. Used by test/e2e/webhook.test.ts
// and bench/webhook-create-latency.ts, so the bench measures exactly what the suite verifies.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { stringify } from 'yaml';
import type { WebhookOptions } from '../../../webhook/options.js';
import { runWebhook, type RunningWebhook } from '../../../webhook/run.js';
import { aimWebhookConfigs, renderChart, scopeToNamespaceLabel, webhookConfigs } from './chart-objects.js';
import { repoRoot, type ClusterInfo } from './cluster.js';
import { kubectl, kubectlOk } from './kubectl.js';
import { waitFor } from './wait.js';

export interface HostWebhookSetup {
  info: ClusterInfo;
  /** The install namespace: the webhook's certificate Secret and runtime catalog live here. */
  namespace: string;
  /** Prefix of the configuration names. */
  prefix: string;
  /** Only namespaces labelled `key=value` are admitted by this webhook. */
  scope: { key: string; value: string };
  /** Created and labelled with the scope; the first one hosts the readiness probe. */
  scopedNamespaces: string[];
  logger: Logger;
  /** Changes to the defaults below (e.g. a slower rotation check for a bench). */
  overrides?: Partial<WebhookOptions>;
}

export interface HostWebhook {
  running: RunningWebhook;
  mutatingName: string;
  validatingName: string;
  /** Deletes the configurations, stops the server, deletes the namespaces (without waiting). */
  remove(): Promise<void>;
}

/** Pure: the options of a webhook on the host, certificates self-managed in `namespace`. */
export function hostWebhookOptions(
  info: ClusterInfo,
  namespace: string,
  prefix: string,
  overrides: Partial<WebhookOptions> = {},
): WebhookOptions {
  return {
    host: info.hostAddress,
    port: 0,
    certMode: 'self',
    certDir: '',
    namespace,
    service: 'kubeless-webhook',
    secret: 'kubeless-webhook-certs',
    certHosts: [info.hostAddress],
    mutatingConfigs: [`${prefix}-kubeless-defaults`],
    validatingConfigs: [`${prefix}-kubeless-validation`],
    apiServices: [],
    certLifetimeMs: 3_600_000,
    rotateAt: 0.667,
    checkIntervalMs: 60_000,
    // kube-apiserver learns configuration changes through an informer; 2 s is ample on one machine.
    propagationDelayMs: 2_000,
    bodyLimitBytes: 3 * 1024 * 1024,
    lookupTimeoutMs: 3_000,
    requestTimeoutMs: 10_000,
    clusterChecks: true,
    catalogConfigMap: 'kubeless-runtimes',
    catalogRefreshMs: 1_000,
    kubeconfig: info.kubeconfig,
    ...overrides,
  };
}

/** A Function only the webhook refuses: its runtime is in no catalog, but the CRD schema allows it. */
function probeManifest(namespace: string): string {
  return stringify({
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'webhook-probe', namespace },
    spec: {
      runtime: 'cobol85',
      handler: 'probe.handler',
      function: "module.exports.handler = () => 'probe';\n",
      deps: '',
    },
  });
}

/**
 * Creates the chart's CRDs that are missing. Other suites share the cluster and may have installed
 * them already (even concurrently); `create` (not `apply`) leaves theirs untouched.
 */
export async function ensureCrds(): Promise<void> {
  const crdDir = join(repoRoot, 'charts/kubeless/crds');
  for (const f of readdirSync(crdDir).filter((n) => n.endsWith('.yaml'))) {
    const name = f.replace(/\.yaml$/, '');
    const r = await kubectl(['create', '-f', join(crdDir, f)]);
    if (r.code !== 0 && !r.stderr.includes('AlreadyExists'))
      throw new Error(`could not create crd/${name}: ${r.stderr.trim()}`);
    await kubectlOk(['wait', '--for=condition=Established', `crd/${name}`, '--timeout=60s']);
  }
}

export async function startHostWebhook(setup: HostWebhookSetup): Promise<HostWebhook> {
  const { info, namespace, prefix, scope } = setup;
  await ensureCrds();
  const options = hostWebhookOptions(info, namespace, prefix, setup.overrides);
  const mutatingName = options.mutatingConfigs[0]!;
  const validatingName = options.validatingConfigs[0]!;
  let running: RunningWebhook | undefined;
  // Also what a failed start runs, so a half-made setup leaves nothing behind.
  const remove = async (): Promise<void> => {
    await kubectl(['delete', 'mutatingwebhookconfiguration', mutatingName, '--ignore-not-found']);
    await kubectl(['delete', 'validatingwebhookconfiguration', validatingName, '--ignore-not-found']);
    await running?.stop();
    for (const n of [...setup.scopedNamespaces, namespace])
      await kubectl(['delete', 'namespace', n, '--wait=false', '--ignore-not-found']);
  };
  try {
    await kubectlOk(['create', 'namespace', namespace]);
    for (const n of setup.scopedNamespaces) {
      await kubectlOk(['create', 'namespace', n]);
      await kubectlOk(['label', 'namespace', n, `${scope.key}=${scope.value}`]);
    }
    running = await runWebhook(options, setup.logger);
    const configs = scopeToNamespaceLabel(
      aimWebhookConfigs(webhookConfigs(renderChart(namespace, ['templates/webhook-configurations.yaml'])), {
        url: `https://${info.hostAddress}:${running.port}`,
        namePrefix: prefix,
      }),
      scope.key,
      scope.value,
    );
    await kubectlOk(['apply', '-f', '-'], { input: configs.map((c) => stringify(c)).join('---\n') });
    // The configurations did not exist when the webhook first issued its CA: publish it now.
    await running.refresh();
    const probeNs = setup.scopedNamespaces[0];
    if (probeNs) {
      // Wait until kube-apiserver actually calls us (its informer has seen the configurations).
      await waitFor(
        'the apiserver to call the webhook',
        async () => {
          const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
            input: probeManifest(probeNs),
          });
          // Only the webhook knows the runtime catalog: this denial proves the apiserver called it.
          if (r.code !== 0 && r.stderr.includes('not in the runtime catalog')) return true;
          throw new Error(`probe: exit ${r.code}: ${r.stderr.trim()}`);
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
    }
    return { running, mutatingName, validatingName, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
