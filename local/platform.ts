// Composes the local platform: store, controller with its process backend, and the HTTP API.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { DEFAULT_CATALOG, type RuntimeCatalog } from '../lib/catalog.js';
import { createApp } from './api/server.js';
import { DepsInstaller } from './controller/install.js';
import { PidFiles } from './controller/launch.js';
import { RuntimePool } from './controller/pool.js';
import { FunctionController } from './controller/reconciler.js';
import { Store } from './store/store.js';

export interface PlatformOptions {
  port: number;
  host?: string;
  dataDir: string;
  poolSize?: number;
  catalog?: RuntimeCatalog;
  logger?: Logger;
  invokeLimit?: number;
  startWaitMs?: number;
}

export interface Platform {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const logger = opts.logger ?? pino({ base: { component: 'local' } });
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const catalog = opts.catalog ?? DEFAULT_CATALOG;
  const store = await Store.open(path.join(dataDir, 'store'));
  const pids = new PidFiles(path.join(dataDir, 'run'));
  const reaped = pids.reapOrphans();
  if (reaped > 0) logger.info({ reaped }, 'stopped runtime processes left by a previous run');
  const pool = new RuntimePool(pids, dataDir, opts.poolSize ?? 1);
  for (const lang of new Set(catalog.runtimes.map((r) => r.language))) pool.fill(lang);
  const controller = new FunctionController({
    store,
    catalog: () => catalog,
    dataDir,
    pool,
    installer: new DepsInstaller(path.join(dataDir, 'deps'), pids),
    pids,
    logger,
    startTimeoutMs: 60_000,
  });
  controller.start();
  const app = createApp({
    store,
    catalog: () => catalog,
    backend: controller,
    logger,
    objectLimit: '3mb',
    invokeLimit: opts.invokeLimit ?? 1024 * 1024,
    startWaitMs: opts.startWaitMs ?? 10_000,
  });
  const server: Server = createServer(app);
  // Bounded headers and request bodies; a watch or a followed log may then stream for long.
  server.headersTimeout = 15_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  logger.info(
    { url, dataDir, functions: store.list('functions/').length },
    'kubeless local platform listening',
  );
  return {
    port,
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await controller.stop();
      await pool.close();
      await store.close();
    },
  };
}
