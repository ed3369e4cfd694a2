// Entry point and the only process: loads the function, serves it, drains on SIGTERM. A watchdog
// thread stops a handler stuck in a synchronous loop in place, so no supervisor process is needed
// to replace this one (ADR 0003 says why and what it costs).
import { writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { parsePoolConfig, readConfig, type RuntimeConfig } from './config.js';
import { type Handler, loadHandler } from './loader.js';
import { createLogger } from './log.js';
import { FunctionMetrics } from './metrics.js';
import { createFunctionServer } from './serve.js';
import { CallTracker, startWatchdog } from './watchdog.js';

export const EXIT_LOAD_FAILURE = 3;
export const EXIT_BAD_POOL_CONFIG = 2;

/** Before the config is read there is no logger yet: one JSON line of the same shape, then exit. */
function fail(code: number, msg: string, err: unknown): never {
  const line = JSON.stringify({
    level: 'error',
    time: new Date().toISOString(),
    msg,
    error: err instanceof Error ? err.message : String(err),
  });
  writeSync(2, line + '\n');
  process.exit(code);
}

/** Pool mode: every module is loaded already (static imports); the function's env comes on stdin. */
function readPoolConfig(): Promise<Record<string, string>> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    let received = false;
    lines.once('line', (line) => {
      received = true;
      lines.close();
      try {
        resolve(parsePoolConfig(line));
      } catch (err) {
        fail(EXIT_BAD_POOL_CONFIG, 'bad pool config', err);
      }
    });
    lines.once('close', () => {
      if (received) return;
      fail(
        EXIT_BAD_POOL_CONFIG,
        'bad pool config',
        'stdin closed before the pool config line arrived; send one line {"env": {...}}',
      );
    });
  });
}

async function main(): Promise<void> {
  if (process.env.KUBELESS_WAIT_FOR_CONFIG === 'stdin') {
    Object.assign(process.env, await readPoolConfig());
    delete process.env.KUBELESS_WAIT_FOR_CONFIG;
  }
  let config: RuntimeConfig;
  let handler: Handler;
  try {
    config = readConfig(process.env);
    handler = await loadHandler(config.installVolume, config.modName, config.handlerName);
  } catch (err) {
    // ConfigError and LoadError carry the remedy; anything else is reported as it is.
    fail(EXIT_LOAD_FAILURE, 'function failed to load', err);
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

  startWatchdog(
    tracker,
    { timeoutMs: config.timeoutMs, functionName: config.functionName, namespace: config.namespace },
    fn.recoverStopped,
  );
  fn.server.listen(config.port, config.host, () => {
    const port = (fn.server.address() as AddressInfo).port;
    logger.info({ port, handler: `${config.modName}.${config.handlerName}` }, 'function listening');
  });
}

void main();
