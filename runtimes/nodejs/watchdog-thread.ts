import { closeSync, writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { connectionFds } from './connections.js';
import type { WatchdogData } from './watchdog.js';
import { decide, timeoutResponse } from './watchdog-decide.js';

const data = workerData as WatchdogData;
const times = new Float64Array(data.shared, 0, 2);
const fds = new Int32Array(data.shared, 16, 2);
const CHECK_MS = 100;
const response = timeoutResponse(data.timeoutMs);

function log(msg: string, extra: Record<string, unknown>): void {
  const line = JSON.stringify({
    level: 'error',
    time: new Date().toISOString(),
    namespace: data.namespace,
    name: data.functionName,
    msg,
    ...extra,
  });
  try {
    writeSync(2, line + '\n');
  } catch {
    // stderr gone: nothing left to tell
  }
}

const check = setInterval(() => {
  const verdict = decide(Date.now(), times[0]!, times[1]!, fds[0]!, data.timeoutMs);
  if (verdict.kind === 'ok') return;
  clearInterval(check);
  const stuckFd = verdict.kind === 'stuck-call' ? verdict.fd : -1;
  // The other (idle keep-alive) connections of this process go first: once a client reads the
  // 408 it may send its next call on another pooled connection at once, and that call must find
  // the connection closed, not land in a process that will never read it. The blocked loop owns
  // these fds but will not run again, so nothing can reuse their numbers.
  let closed = 0;
  if (fds[1]! > 0) {
    for (const fd of connectionFds(fds[1]!)) {
      if (fd === stuckFd) continue;
      try {
        closeSync(fd);
        closed++;
      } catch {
        // already gone
      }
    }
  }
  if (stuckFd >= 0) {
    try {
      // The socket is non-blocking and idle while its call runs, so a small write fits at once.
      writeSync(stuckFd, response);
      closeSync(stuckFd);
    } catch (err) {
      log('could not answer 408 on the stuck call', { error: (err as Error).message });
    }
  }
  log('event loop blocked past the function timeout; replacing the serving process', {
    closedConnections: closed,
    reason: verdict.kind,
    timeoutSeconds: data.timeoutMs / 1000,
  });
  if (data.supervisorPid > 0) {
    try {
      process.kill(data.supervisorPid, 'SIGUSR2');
    } catch {
      // supervisor gone: the fallback below ends this process anyway
    }
  }
  // The supervisor kills this process once its replacement listens; if it cannot, do it here.
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), data.supervisorPid > 0 ? 5000 : 0);
}, CHECK_MS);
