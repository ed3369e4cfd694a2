import { KubeConfig } from '@kubernetes/client-node';
import { PooledKubeConfig } from '../lib/k8s/agent-pool.js';
import { componentLogger, type Logger } from '../lib/server/log.js';
import type { CertMaterial } from '../lib/certs/bundle.js';
import { readCertDir, watchCertDir } from '../lib/certs/files.js';
import { serviceHosts } from '../lib/certs/issue.js';
import { CertStore } from '../lib/certs/kube.js';
import { SelfManagedCerts } from '../lib/certs/manager.js';
import { createApp } from './app.js';
import { kubeClusterReader } from './cluster-reader.js';
import { createMetrics } from './metrics.js';
import { watchCatalog, type CatalogSource } from './catalog-source.js';
import type { AdmissionModel } from './model.js';
import type { WebhookOptions } from './options.js';
import { listenHttps, type HttpsHandle } from './server.js';
import { sharedModel } from './shared-model.js';
import { readPolicyFile } from '../lib/policy/file.js';

export interface RunningWebhook {
  port: number;
  https: HttpsHandle;
  /** Re-reads the Secret and re-publishes the CA now (self mode), e.g. after creating configurations. */
  refresh(): Promise<void>;
  /** Forces a rotation now (self mode); resolves once the new certificate is served. */
  rotate(reason: string): Promise<void>;
  stop(): Promise<void>;
}

function loadKubeConfig(path: string | undefined): KubeConfig {
  // Keep-alive connections shared by every call (lib/k8s/agent-pool.ts says why).
  const kc = new PooledKubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}

/** Starts the webhook with its certificate source; the thin composition behind `kubeless webhook`. */
export async function runWebhook(
  o: WebhookOptions,
  logger: Logger = componentLogger('webhook'),
  /** Replaces the shared model (tests of the plumbing); by default the live catalog drives it. */
  modelOverride?: AdmissionModel,
): Promise<RunningWebhook> {
  // Only the component is bound: each line names the object it is about (namespace/name) itself.
  const log = logger.child({ component: 'webhook' });
  // Before anything else: a wrong policy file must stop the start, not admit by the default.
  const policy = await readPolicyFile(o.policyFile);
  const metrics = createMetrics();
  const needsCluster =
    o.clusterChecks ||
    o.catalogConfigMap !== '' ||
    o.certMode === 'self' ||
    (o.certMode === 'files' && hasTargets(o));
  const kc = needsCluster ? loadKubeConfig(o.kubeconfig) : undefined;
  const store = kc ? new CertStore(kc, o.namespace, o.secret) : undefined;
  // Certificates can arrive before the server exists (first issue) or after (rotations).
  const live: { handle?: HttpsHandle; pending?: CertMaterial } = {};
  const apply = (m: CertMaterial): void => {
    if (live.handle) {
      live.handle.setCertificate(m);
      log.info(
        { namespace: o.namespace, name: o.secret, certMode: o.certMode },
        'serving certificate reloaded',
      );
    } else live.pending = m;
  };

  let manager: SelfManagedCerts | undefined;
  let stopWatch: (() => void) | undefined;
  let first: CertMaterial;
  if (o.certMode === 'self') {
    manager = new SelfManagedCerts({
      store: store!,
      targets: targetsOf(o),
      hosts: serviceHosts(o.service, o.namespace, o.certHosts),
      commonName: `${o.service}.${o.namespace}.svc`,
      lifetimeMs: o.certLifetimeMs,
      rotateAt: o.rotateAt,
      propagationDelayMs: o.propagationDelayMs,
      checkIntervalMs: o.checkIntervalMs,
      logger: log,
      onMaterial: apply,
    });
    first = await manager.start();
  } else {
    first = await readCertDir(o.certDir);
    // cert-manager's cainjector owns caBundle in that mode; in files mode we publish what we were given.
    if (o.certMode === 'files' && store && first.caBundle)
      await store.publish(targetsOf(o), first.caBundle, new Date());
    stopWatch = watchCertDir(
      o.certDir,
      Math.min(o.checkIntervalMs, 10_000),
      first,
      (m) => {
        apply(m);
        if (o.certMode === 'files' && store && m.caBundle) {
          store
            .publish(targetsOf(o), m.caBundle, new Date())
            .catch((err: unknown) => log.error({ err: String(err) }, 'publishing caBundle failed'));
        }
      },
      (err) => log.error({ err: String(err), dir: o.certDir }, 'reading certificates failed'),
    );
  }

  const catalog: CatalogSource | undefined =
    kc && o.catalogConfigMap && !modelOverride
      ? await watchCatalog(kc, o.namespace, o.catalogConfigMap, o.catalogRefreshMs, log)
      : undefined;
  const model =
    modelOverride ??
    sharedModel(catalog ? () => catalog.current() : undefined, undefined, {
      policy,
      installNamespace: o.namespace,
    });

  const app = createApp({
    model,
    reader: o.clusterChecks && kc ? kubeClusterReader(kc) : undefined,
    metrics,
    logger: log,
    bodyLimitBytes: o.bodyLimitBytes,
    lookupTimeoutMs: o.lookupTimeoutMs,
    ready: () => live.handle !== undefined,
  });
  const h = await listenHttps(app, {
    host: o.host,
    port: o.port,
    pair: live.pending ?? first,
    metrics,
    requestTimeoutMs: o.requestTimeoutMs,
  });
  live.handle = h;
  log.info(
    { namespace: o.namespace, name: o.service, host: o.host, port: h.port, certMode: o.certMode },
    'webhook listening',
  );
  return {
    port: h.port,
    https: h,
    async refresh() {
      await manager?.reconcile();
    },
    async rotate(reason) {
      if (!manager)
        throw new Error(`rotation is only possible with --cert-mode=self (running ${o.certMode})`);
      await manager.reconcile(reason);
    },
    async stop() {
      manager?.stop();
      stopWatch?.();
      catalog?.stop();
      await h.close();
    },
  };
}

function hasTargets(o: WebhookOptions): boolean {
  return o.mutatingConfigs.length + o.validatingConfigs.length + o.apiServices.length > 0;
}

function targetsOf(o: WebhookOptions) {
  return {
    mutatingWebhookConfigurations: o.mutatingConfigs,
    validatingWebhookConfigurations: o.validatingConfigs,
    apiServices: o.apiServices,
  };
}
