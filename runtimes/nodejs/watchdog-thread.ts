// The watchdog thread: sees the event loop blocked past the timeout and asks V8, through the
// inspector's in-process session, to stop the JavaScript that blocks it (Runtime.terminateExecution
// interrupts even `for (;;) {}`). The loop then runs again and answers the stuck call's 408 itself.
import { writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import type { WatchdogData } from './watchdog.js';
import { type Action, IDLE, step, timeoutResponse, type WatchState } from './watchdog-decide.js';

const data = workerData as WatchdogData;
const times = new Float64Array(data.shared, 0, 2);
const fds = new Int32Array(data.shared, 16, 2);
const CHECK_MS = 100;

function log(level: 'warn' | 'error', msg: string, extra: Record<string, unknown>): void {
  const line = JSON.stringify({
    level,
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

type Inspector = typeof import('node:inspector');

/** Undefined when Node.js was built without the inspector: then only giving up remains. */
async function loadInspector(): Promise<Inspector | undefined> {
  try {
    return await import('node:inspector');
  } catch (err) {
    log('warn', 'no inspector in this Node.js: a blocked event loop ends the process', {
      error: (err as Error).message,
    });
    return undefined;
  }
}

/**
 * The session exists only while a stop is pending: connected, it would make Node.js print
 * "Waiting for the debugger to disconnect..." at every exit. Connecting works while the loop is
 * blocked: the main thread takes inspector messages on V8 interrupts, not on its event loop.
 */
let session: import('node:inspector').Session | undefined;

function terminate(inspector: Inspector): void {
  session?.disconnect();
  session = new inspector.Session();
  session.connectToMainThread();
  session.post('Runtime.terminateExecution', (err) => {
    if (err) log('error', 'could not stop the blocked JavaScript', { error: err.message });
  });
}

function giveUp(fd: number): void {
  if (fd >= 0) {
    try {
      // The socket is non-blocking and idle while its call runs, so a small write fits at once.
      writeSync(fd, timeoutResponse(data.timeoutMs));
    } catch (err) {
      log('error', 'could not answer 408 on the stuck call', { error: (err as Error).message });
    }
  }
  log('error', 'event loop still blocked (in native code?); exiting so that the runtime is restarted', {
    timeoutSeconds: data.timeoutMs / 1000,
  });
  // SIGTERM would wait for the blocked loop to run its handler; only SIGKILL ends it now.
  process.kill(process.pid, 'SIGKILL');
}

const inspector = await loadInspector();
let state: WatchState = IDLE;

function act(action: Action): void {
  if (action.kind === 'none') return;
  if (action.kind === 'recovered') {
    session?.disconnect();
    session = undefined;
    return;
  }
  if (action.kind === 'give-up' || inspector === undefined) {
    giveUp(action.kind === 'give-up' ? action.fd : state.fd);
    return;
  }
  log('warn', 'event loop blocked past the function timeout; stopping the blocking JavaScript', {
    reason: action.reason,
    timeoutSeconds: data.timeoutMs / 1000,
  });
  // A call or a promise continuation is stopped in place and the process keeps serving. Stopped
  // in a timer or setImmediate callback, Node.js itself exits ("async hook stack has become
  // corrupted"), and the orchestrator restarts the runtime.
  terminate(inspector);
}

setInterval(() => {
  const result = step(
    state,
    { now: Date.now(), callStart: times[0]!, heartbeat: times[1]!, fd: fds[0]! },
    data.timeoutMs,
  );
  state = result.state;
  act(result.action);
}, CHECK_MS);
