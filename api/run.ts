// Composition behind `kubeless api`: kubeconfig, serving certificate, front-proxy config (re-read
// periodically so a requestheader CA rotation is picked up), the server, graceful shutdown.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PooledKubeConfig } from '../lib/k8s/agent-pool.js';
import type { Logger } from 'pino';
import { createCa, createServingCert, readCertDir, serviceHosts } from '../lib/certs/index.js';
import { watchCertDir } from '../lib/certs/files.js';
import { INVOKE_DEADLINE_MARGIN_SECONDS } from '../lib/function/timeout.js';
import type { FrontProxyConfig } from './authn.js';
import { loadOpenApi } from './discovery.js';
import { kubeCluster, type Cluster } from './kube.js';
import { createApiServer, type ApiServer, type ServiceAddressMode } from './server.js';

export interface RunOptions {
  host: string;
  port: number;
  certDir?: string;
  certHosts: string[];
  kubeconfig?: string;
  serviceAddress: ServiceAddressMode;
  bodyLimitBytes: number;
  frontProxyRefreshMs: number;
  /** How often --cert-dir is re-read, so a renewed Secret (cert-manager, the chart's job) is served. */
  certRefreshMs?: number;
  openapiFile?: string;
}

export interface RunningApi {
  api: ApiServer;
  port: number;
  /** PEM CA to put in the APIService caBundle when the certificate was self-generated. */
  caBundle: string;
  stop(): Promise<void>;
}

// dist/api/run.js sits two levels below the repository root, api/run.ts (tsx, tests) one.
const DEFAULT_OPENAPI = [
  '../../openapi/subresources.kubeless.io_v1.yaml',
  '../openapi/subresources.kubeless.io_v1.yaml',
]
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((p) => existsSync(p));

export async function runApi(o: RunOptions, logger: Logger, clusterOverride?: Cluster): Promise<RunningApi> {
  const log = logger.child({ component: 'api' });
  let cluster = clusterOverride;
  if (!cluster) {
    // Keep-alive connections shared by every call (lib/k8s/agent-pool.ts says why).
    const kc = new PooledKubeConfig();
    if (o.kubeconfig) kc.loadFromFile(o.kubeconfig);
    else kc.loadFromDefault();
    cluster = kubeCluster(kc);
  }
  let cert: string;
  let key: string;
  let caBundle: string;
  if (o.certDir) {
    const m = await readCertDir(o.certDir);
    [cert, key, caBundle] = [m.tlsCert, m.tlsKey, m.caBundle];
  } else {
    // No mounted certificate: issue one for this process so it can serve at all.
    const now = new Date();
    const ca = createCa({ commonName: 'kubeless-api-ca', notBefore: now, lifetimeMs: 365 * 864e5 });
    const hosts = o.certHosts.length > 0 ? o.certHosts : serviceHosts('kubeless-api', 'kubeless');
    const pair = createServingCert({
      ca,
      commonName: hosts[0] ?? 'kubeless-api',
      hosts,
      notBefore: now,
      lifetimeMs: 365 * 864e5,
    });
    [cert, key, caBundle] = [pair.cert, pair.key, ca.cert];
  }
  const frontProxy: FrontProxyConfig = await cluster.frontProxyConfig();
  const api = createApiServer({
    cert,
    key,
    frontProxy,
    cluster,
    openapi: loadOpenApi(o.openapiFile ?? DEFAULT_OPENAPI ?? 'openapi/subresources.kubeless.io_v1.yaml'),
    logger: log,
    serviceAddress: o.serviceAddress,
    bodyLimitBytes: o.bodyLimitBytes,
    timeoutMarginSeconds: INVOKE_DEADLINE_MARGIN_SECONDS,
    authzCache: { allowedTtlMs: 10_000, deniedTtlMs: 2_000, maxEntries: 10_000 },
  });
  let current = JSON.stringify(frontProxy);
  const c = cluster;
  const refresh = setInterval(() => {
    c.frontProxyConfig()
      .then((next) => {
        const text = JSON.stringify(next);
        if (text === current) return;
        current = text;
        api.setFrontProxy(next);
        log.info(
          { namespace: 'kube-system', name: 'extension-apiserver-authentication' },
          'front-proxy CA reloaded',
        );
      })
      .catch((err: unknown) =>
        log.warn({ err }, 'reading extension-apiserver-authentication failed; keeping the last one'),
      );
  }, o.frontProxyRefreshMs);
  refresh.unref();
  const stopCertWatch = o.certDir
    ? watchCertDir(
        o.certDir,
        o.certRefreshMs ?? 10_000,
        { tlsCert: cert, tlsKey: key, caBundle },
        (m) => {
          try {
            api.setServingCert(m.tlsCert, m.tlsKey);
            log.info({ dir: o.certDir }, 'serving certificate reloaded');
          } catch (err) {
            // A Secret caught mid-update can pair a new certificate with the old key: keep serving
            // the last good pair; the next poll sees the finished update.
            log.warn({ err: String(err), dir: o.certDir }, 'new certificate rejected; serving the last one');
          }
        },
        (err) =>
          log.warn(
            { err: String(err), dir: o.certDir },
            'reading the certificate failed; serving the last one',
          ),
      )
    : undefined;
  await new Promise<void>((resolve, reject) => {
    api.server.once('error', reject);
    api.server.listen(o.port, o.host, () => resolve());
  });
  const addr = api.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  log.info({ host: o.host, port }, 'kubeless api listening');
  return {
    api,
    port,
    caBundle,
    async stop() {
      clearInterval(refresh);
      stopCertWatch?.();
      await api.close();
    },
  };
}
