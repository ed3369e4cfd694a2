// Composes the local platform: store, controller with its process backend, and the HTTP API.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { componentLogger, type Logger } from '../lib/server/log.js';
import { DEFAULT_CATALOG, type RuntimeCatalog } from '../lib/catalog.js';
import { FunctionConnections } from '../lib/invoke/connections.js';
import { INVOKE_BODY_LIMIT_BYTES } from '../lib/invoke/limits.js';
import { createRequestListener } from './api/server.js';
import { DepsInstaller } from './controller/install.js';
import { PidFiles } from './controller/launch.js';
import { RuntimePool } from './controller/pool.js';
import { FunctionController } from './controller/reconciler.js';
import { DataDir } from './data-dir.js';
import { DataDirLock } from './lock.js';
import { Store } from './store/store.js';
import { TriggerController } from './triggers/controller.js';
import { createGateway } from './triggers/gateway.js';
import { LocalKafka } from './triggers/kafka.js';

export interface PlatformOptions {
  port: number;
  host?: string;
  dataDir: string;
  poolSize?: number;
  catalog?: RuntimeCatalog;
  logger?: Logger;
  /** Cap on an invoke body; default the cluster's (lib/invoke/limits.ts). */
  invokeLimit?: number;
  startWaitMs?: number;
  /** HTTPTrigger gateway port; default `port` + 1, or a free one when `port` is 0. */
  gatewayPort?: number;
  /** Kafka bootstrap servers; without them KafkaTriggers and pubsub Functions stay idle and say why. */
  kafkaBrokers?: string[];
  /** Host names the API answers to besides localhost, 127.0.0.1 and [::1]. */
  hostNames?: string[];
}

/**
 * The HTTPTrigger gateway's body limit: what an NGINX Ingress, which serves HTTPTriggers on a
 * cluster, allows by default (proxy-body-size 1m).
 */
const GATEWAY_BODY_LIMIT_BYTES = 1024 * 1024;

export interface Platform {
  port: number;
  url: string;
  gatewayPort: number;
  gatewayUrl: string;
  close(): Promise<void>;
}

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const logger = opts.logger ?? componentLogger('local');
  const dirs = new DataDir(opts.dataDir);
  const dataDir = dirs.root;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Before anything in the data dir is read, reaped or deleted: it may belong to a running platform.
  const lock = await DataDirLock.acquire(dirs.lockFile, (stale) =>
    logger.info(
      { dataDir, previousPid: stale?.pid },
      'took over the data dir from a kubeless local that no longer runs',
    ),
  );
  const cleanup: Array<() => Promise<void> | void> = [() => lock.release()];
  const undo = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };
  try {
    return await startLocked(opts, logger, dirs, lock, cleanup, undo);
  } catch (err) {
    await undo();
    throw err;
  }
}

async function startLocked(
  opts: PlatformOptions,
  logger: Logger,
  dirs: DataDir,
  lock: DataDirLock,
  cleanup: Array<() => Promise<void> | void>,
  undo: () => Promise<void>,
): Promise<Platform> {
  const dataDir = dirs.root;
  const catalog = opts.catalog ?? DEFAULT_CATALOG;
  const store = await Store.open(dirs.folder('store'));
  cleanup.push(() => store.close());
  const pids = new PidFiles(dirs.folder('run'));
  const reaped = pids.reapOrphans();
  if (reaped > 0) logger.info({ reaped }, 'stopped runtime processes left by a previous run');
  const pool = new RuntimePool(pids, dataDir, opts.poolSize ?? 1);
  cleanup.push(() => pool.close());
  for (const lang of new Set(catalog.runtimes.map((r) => r.language))) pool.fill(lang);
  const controller = new FunctionController({
    store,
    catalog: () => catalog,
    dirs,
    pool,
    installer: new DepsInstaller(dirs.folder('deps'), pids),
    pids,
    logger,
    startTimeoutMs: 60_000,
  });
  controller.start();
  cleanup.push(() => controller.stop());
  // One pool of kept connections to the runtime processes for every caller: invoke, the gateway,
  // CronJob firings and Kafka deliveries. Closed once the servers and triggers are (cleanup runs
  // in reverse).
  const connections = new FunctionConnections();
  cleanup.push(() => connections.close());
  const listener = createRequestListener({
    store,
    catalog: () => catalog,
    backend: controller,
    logger,
    objectLimit: '3mb',
    invokeLimit: opts.invokeLimit ?? INVOKE_BODY_LIMIT_BYTES,
    startWaitMs: opts.startWaitMs ?? 10_000,
    hostNames: opts.hostNames ?? [],
    connections,
  });
  const server: Server = createServer(listener);
  // Bounded headers and request bodies; a watch or a followed log may then stream for long.
  server.headersTimeout = 15_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  const host = opts.host ?? '127.0.0.1';
  const port = await listen(server, opts.port, host);
  cleanup.push(() => closeServer(server));
  const url = `http://${host}:${port}`;
  const triggers = new TriggerController({ store, backend: controller, connections, logger });
  const gateway = createGateway({
    routes: () => triggers.routes(),
    backend: controller,
    connections,
    logger,
    bodyLimit: GATEWAY_BODY_LIMIT_BYTES,
    startWaitMs: opts.startWaitMs ?? 10_000,
  });
  const wantedGateway = opts.gatewayPort ?? (opts.port === 0 ? 0 : port + 1);
  let gatewayPort: number;
  try {
    gatewayPort = await listen(gateway, wantedGateway, host);
  } catch (err) {
    throw new Error(
      `the HTTPTrigger gateway cannot listen on ${host}:${wantedGateway} (${(err as Error).message}); ` +
        'stop what uses that port, or pass --gateway-port with a free port (0 picks one)',
    );
  }
  cleanup.push(() => closeServer(gateway));
  const gatewayUrl = `http://${host}:${gatewayPort}`;
  triggers.start(gatewayUrl);
  const kafka = new LocalKafka({
    store,
    backend: controller,
    connections,
    logger,
    brokers: opts.kafkaBrokers,
  });
  kafka.start();
  cleanup.push(() => triggers.stop());
  // Stopped before the function processes: in-flight deliveries are abandoned, finished ones committed.
  cleanup.push(() => kafka.stop());
  lock.update({ port });
  logger.info(
    { url, gatewayUrl, dataDir, functions: store.list('functions/').length },
    'kubeless local platform listening (API on url, HTTPTriggers on gatewayUrl)',
  );
  return { port, url, gatewayPort, gatewayUrl, close: undo };
}

async function closeServer(srv: Server): Promise<void> {
  srv.closeAllConnections();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
