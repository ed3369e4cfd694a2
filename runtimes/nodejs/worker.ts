// The serving process: loads the function, serves it, drains on SIGTERM. Started by the
// supervisor (server.ts), which replaces it when the watchdog reports a blocked event loop.
import cluster from 'node:cluster';
import { writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { readConfig } from './config.js';
import { loadHandler } from './loader.js';
import { createLogger } from './log.js';
import { FunctionMetrics } from './metrics.js';
import { createFunctionServer } from './serve.js';
import { CallTracker, startWatchdog } from './watchdog.js';

export const EXIT_LOAD_FAILURE = 3;

interface ConfigMessage {
  type: 'config';
  env: Record<string, string>;
}

function isConfigMessage(msg: unknown): msg is ConfigMessage {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'config';
}

/** Pool mode: modules are loaded already; the function's own env arrives from the supervisor. */
function waitForConfig(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (msg: unknown): void => {
      if (!isConfigMessage(msg)) return;
      process.off('message', onMessage);
      Object.assign(process.env, msg.env);
      resolve();
    };
    process.on('message', onMessage);
    // Messages sent before a listener exists are dropped, so the supervisor waits for this.
    process.send?.('waiting-for-config');
  });
}

function loadFailure(err: unknown): never {
  const line = JSON.stringify({
    level: 'error',
    time: new Date().toISOString(),
    msg: 'function failed to load',
    error: err instanceof Error ? err.message : String(err),
  });
  writeSync(2, line + '\n');
  process.exit(EXIT_LOAD_FAILURE);
}

async function main(): Promise<void> {
  if (process.env.KUBELESS_WAIT_FOR_CONFIG === 'ipc') {
    await waitForConfig();
    delete process.env.KUBELESS_WAIT_FOR_CONFIG;
  }
  let config;
  let handler;
  try {
    config = readConfig(process.env);
    handler = await loadHandler(config.installVolume, config.modName, config.handlerName);
  } catch (err) {
    // ConfigError and LoadError carry the remedy; anything else is reported as it is.
    loadFailure(err);
  }
  const logger = createLogger({ namespace: config.namespace, name: config.functionName });
  const metrics = new FunctionMetrics();
  const tracker = new CallTracker();
  const fn = createFunctionServer({ config, handler, metrics, tracker, logger });

  process.on('uncaughtException', (err) => {
    // Thrown outside any call (a stray timer in the handler): the call it belonged to gets its
    // 408 from the timeout, and the other calls need not die with it.
    logger.error({ err: { message: err.message, stack: err.stack } }, 'uncaught exception in the function');
  });
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: String(reason) }, 'unhandled promise rejection in the function');
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    logger.info('draining: no new connections, waiting for calls in flight');
    const force = setTimeout(() => {
      logger.warn('calls still running after the timeout; exiting anyway');
      process.exit(0);
    }, config.timeoutMs + 1000);
    force.unref();
    fn.drain().then(
      () => {
        logger.info('drained; exiting');
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('message', (msg) => {
    if (msg === 'shutdown') stop();
  });

  startWatchdog(tracker, {
    timeoutMs: config.timeoutMs,
    functionName: config.functionName,
    namespace: config.namespace,
    supervisorPid: cluster.isWorker ? process.ppid : 0,
  });
  fn.server.listen(config.port, config.host, () => {
    const port = (fn.server.address() as AddressInfo).port;
    tracker.listening(port);
    logger.info({ port, handler: `${config.modName}.${config.handlerName}` }, 'function listening');
  });
}

void main();
