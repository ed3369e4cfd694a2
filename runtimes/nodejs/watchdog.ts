// A stuck synchronous handler blocks the event loop, so nothing on it can answer 408. A small
// thread watches two numbers in shared memory that the loop writes for free (a store per call
// and a heartbeat timer) and acts for it: it answers 408 on the stuck call's socket and asks the
// supervisor for a fresh serving process.
import { Worker } from 'node:worker_threads';

export interface WatchdogOptions {
  timeoutMs: number;
  functionName: string;
  namespace: string;
  /** pid to signal (SIGUSR2) for a replacement; 0 means none, the process then exits itself. */
  supervisorPid: number;
}

export interface WatchdogData extends WatchdogOptions {
  shared: SharedArrayBuffer;
}

const ORIGIN = performance.timeOrigin;

/**
 * Float64 [0] start of the running synchronous call (0 = none), [1] last heartbeat; Int32 [4] its
 * socket fd, [5] the port the server listens on.
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
  listening(port: number): void {
    this.fds[1] = port;
  }
  beat(): void {
    this.times[1] = Date.now();
  }
}

export const HEARTBEAT_MS = 250;

export function startWatchdog(tracker: CallTracker, options: WatchdogOptions): Worker {
  tracker.beat();
  const timer = setInterval(() => tracker.beat(), HEARTBEAT_MS);
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
