// Entry point. A small supervisor holds the listening socket (cluster, SCHED_NONE: the serving
// process accepts connections itself, so the hot path pays nothing for it) and replaces the
// serving process when its watchdog reports an event loop blocked by a stuck handler. Because
// the replacement starts listening before the stuck process is killed, no connection is refused.
import cluster, { type Worker } from 'node:cluster';
import { createInterface } from 'node:readline';
import { createLineLogger } from './line-log.js';
import { onWorkerExit, parsePoolConfig } from './supervise.js';

const logger = createLineLogger({
  namespace: process.env.POD_NAMESPACE ?? process.env.FUNC_NAMESPACE ?? 'default',
  name: process.env.FUNC_NAME ?? process.env.MOD_NAME ?? 'function',
  component: 'supervisor',
});

cluster.schedulingPolicy = cluster.SCHED_NONE;
cluster.setupPrimary({ exec: new URL('./worker.js', import.meta.url).pathname, silent: false });

const replaced = new Set<Worker>();
const crashes: number[] = [];
let stopping = false;
let current: Worker | undefined;

function spawn(env: Record<string, string> = {}): Worker {
  const worker = cluster.fork(env);
  worker.on('exit', (code, signal) => handleExit(worker, code, signal));
  return worker;
}

function alive(): number {
  return Object.values(cluster.workers ?? {}).filter((w) => w !== undefined && !w.isDead()).length;
}

function handleExit(worker: Worker, code: number | null, signal: string | null): void {
  const wasReplaced = replaced.delete(worker);
  const decision = onWorkerExit({
    code,
    signal,
    replaced: wasReplaced,
    stopping,
    others: alive(),
    recentCrashes: crashes,
    now: Date.now(),
  });
  if (!wasReplaced && !stopping && code !== 3) crashes.push(Date.now());
  if (decision.action === 'exit') {
    if (decision.reason !== 'stopped') logger.error({ code, signal }, `exiting: ${decision.reason}`);
    process.exit(decision.code);
  }
  if (decision.action === 'restart') {
    logger.warn({ code, signal }, 'serving process died; starting a new one');
    setTimeout(() => {
      if (!stopping) current = spawn();
    }, decision.delayMs);
  }
}

// The watchdog of the serving process asks for a replacement with SIGUSR2.
process.on('SIGUSR2', () => {
  const stuck = current;
  if (stuck === undefined || stopping || replaced.has(stuck)) return;
  replaced.add(stuck);
  const next = spawn();
  current = next;
  const started = Date.now();
  next.once('listening', () => {
    logger.warn(
      { replacedInMs: Date.now() - started },
      'replaced a serving process whose event loop was blocked',
    );
    stuck.process.kill('SIGKILL');
  });
});

// A serving process still starting when SIGTERM came may have missed it (its handler was not
// installed yet): tell it again once it listens, or the supervisor would wait for it forever.
cluster.on('listening', (worker) => {
  if (stopping) worker.process.kill('SIGTERM');
});

function stop(): void {
  if (stopping) return;
  stopping = true;
  if (alive() === 0) process.exit(0);
  for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

if (process.env.KUBELESS_WAIT_FOR_CONFIG === 'stdin') {
  // Pre-start the serving process so it has loaded its modules before the config arrives.
  current = spawn({ KUBELESS_WAIT_FOR_CONFIG: 'ipc' });
  const pending = current;
  const workerWaiting = new Promise<void>((resolve) => {
    pending.on('message', (msg) => {
      if (msg === 'waiting-for-config') resolve();
    });
  });
  const lines = createInterface({ input: process.stdin });
  let received = false;
  lines.once('line', (line) => {
    received = true;
    lines.close();
    let env: Record<string, string>;
    try {
      env = parsePoolConfig(line);
    } catch (err) {
      logger.error({ error: (err as Error).message }, 'bad pool config');
      process.exit(2);
    }
    Object.assign(process.env, env);
    delete process.env.KUBELESS_WAIT_FOR_CONFIG;
    void workerWaiting.then(() => pending.send({ type: 'config', env }));
  });
  lines.once('close', () => {
    if (received) return;
    logger.error('stdin closed before the pool config line arrived; send one line {"env": {...}}');
    process.exit(2);
  });
} else {
  current = spawn();
}
