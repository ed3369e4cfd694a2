// Pure decisions of the watchdog thread (watchdog-thread.ts), so they can be tested without a
// blocked event loop.

export type Verdict = { kind: 'ok' } | { kind: 'stuck-call'; fd: number } | { kind: 'blocked-loop' };

/**
 * A synchronous call past its timeout is to blame on its own; a loop blocked elsewhere (say, an
 * async handler's continuation spinning) for longer than a timeout plus slack has no single call
 * to blame.
 */
export function decide(
  now: number,
  callStart: number,
  heartbeat: number,
  fd: number,
  timeoutMs: number,
): Verdict {
  if (callStart > 0 && now - callStart > timeoutMs) return { kind: 'stuck-call', fd };
  if (now - heartbeat > timeoutMs + 1000) return { kind: 'blocked-loop' };
  return { kind: 'ok' };
}

/**
 * How long the loop may stay blocked after its JavaScript was told to stop. Longer than the
 * 250 ms heartbeat with room for a loaded machine; past it the block is in native code (a
 * synchronous child process, Atomics.wait, a read that never returns), which nothing in the
 * process can interrupt.
 */
export const GIVE_UP_AFTER_MS = 2000;

/**
 * A gap this long between two checks (they run every 100 ms) means this thread did not run
 * either: the whole process was paused or starved (a stopped container, an overloaded machine),
 * which says nothing about the event loop. It then gets QUIET_MS to beat before it is judged.
 */
export const STALL_MS = 500;
export const QUIET_MS = 500;

export interface WatchState {
  /** Wall-clock ms when termination was asked for; 0 = none pending. */
  since: number;
  /** The stuck call's socket, for the last-resort 408. */
  fd: number;
  /** When the previous check ran; 0 = never. */
  lastCheck: number;
  /** No new verdict before this time (after a stall). */
  quietUntil: number;
}

export const IDLE: WatchState = { since: 0, fd: -1, lastCheck: 0, quietUntil: 0 };

export type Action =
  | { kind: 'none' }
  | { kind: 'terminate'; reason: 'stuck-call' | 'blocked-loop' }
  | { kind: 'recovered' }
  | { kind: 'give-up'; fd: number };

export interface Sample {
  now: number;
  callStart: number;
  heartbeat: number;
  fd: number;
}

const NONE: Action = { kind: 'none' };

/**
 * One check of the watchdog: ask V8 to stop the blocking JavaScript, then wait for the loop to
 * beat again (it answers the stuck call's 408 itself before it does); if it never does, give up.
 */
export function step(state: WatchState, s: Sample, timeoutMs: number): { state: WatchState; action: Action } {
  const gap = state.lastCheck > 0 ? s.now - state.lastCheck : 0;
  const st: WatchState = { ...state, lastCheck: s.now };
  if (gap > STALL_MS) {
    st.quietUntil = s.now + QUIET_MS;
    // A pending stop waited through the stall too: the loop had no chance to beat meanwhile.
    if (st.since > 0) st.since += gap;
    return { state: st, action: NONE };
  }
  if (st.since > 0) {
    const idle = { ...st, since: 0, fd: -1 };
    if (s.heartbeat > st.since) return { state: idle, action: { kind: 'recovered' } };
    if (s.now - st.since > GIVE_UP_AFTER_MS) return { state: idle, action: { kind: 'give-up', fd: st.fd } };
    return { state: st, action: NONE };
  }
  if (s.now < st.quietUntil) return { state: st, action: NONE };
  const verdict = decide(s.now, s.callStart, s.heartbeat, s.fd, timeoutMs);
  if (verdict.kind === 'ok') return { state: st, action: NONE };
  st.since = s.now;
  st.fd = verdict.kind === 'stuck-call' ? verdict.fd : -1;
  return { state: st, action: { kind: 'terminate', reason: verdict.kind } };
}

export function timeoutResponse(timeoutMs: number): string {
  const body = JSON.stringify({ error: timeoutMessage(timeoutMs / 1000) });
  return (
    'HTTP/1.1 408 Request Timeout\r\n' +
    'Content-Type: application/json; charset=utf-8\r\n' +
    // The runtime's own answer, not the function's (see errorReply).
    'Kubeless-Error: true\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

export function timeoutMessage(seconds: number): string {
  return (
    `the function did not answer within its timeout of ${seconds}s; ` +
    "raise the Function's timeout or make the handler faster"
  );
}
