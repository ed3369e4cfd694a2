// A stuck synchronous handler blocks the event loop, so nothing on it can answer 408. A small
// thread watches two numbers in shared memory that the loop writes for free (a store per call
// and a heartbeat timer) and, past the timeout, has V8 stop the blocking JavaScript; the loop's
// next heartbeat then answers the stopped call (watchdog-thread.ts, ADR 0003).
import { Worker } from 'node:worker_threads';

export interface WatchdogOptions {
  timeoutMs: number;
  functionName: string;
  namespace: string;
}

export interface WatchdogData extends WatchdogOptions {
  shared: SharedArrayBuffer;
}

const ORIGIN = performance.timeOrigin;

/**
 * Float64 [0] start of the running synchronous call (0 = none), [1] last heartbeat; Int32 [4] its
 * socket fd (for a last-resort 408 when the process has to end).
 */
export class CallTracker {
  readonly shared = new SharedArrayBuffer(24);
  private readonly times = new Float64Array(this.shared, 0, 2);
  private readonly fds = new Int32Array(this.shared, 16, 2);

  /** `at` is performance.now() of this thread; stored as wall-clock ms, which every thread shares. */
  enter(fd: number, at: number): void {
    this.fds[0] = fd;
    this.times[0] = ORIGIN + at;
  }
  leave(): void {
    this.times[0] = 0;
  }
  beat(): void {
    this.times[1] = Date.now();
  }
}

export const HEARTBEAT_MS = 250;

/**
 * `onBeat` runs on the loop before each heartbeat: after the watchdog stopped a blocked call, it
 * is the first code of ours to run again, so it answers that call.
 */
export function startWatchdog(tracker: CallTracker, options: WatchdogOptions, onBeat: () => void): Worker {
  tracker.beat();
  const timer = setInterval(() => {
    onBeat();
    tracker.beat();
  }, HEARTBEAT_MS);
  timer.unref();
  const data: WatchdogData = { ...options, shared: tracker.shared };
  const worker = new Worker(new URL('./watchdog-thread.js', import.meta.url), {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 },
    stdout: false,
    stderr: false,
  });
  worker.unref();
  return worker;
}
