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

/** `since` = wall-clock ms when termination was asked for; 0 = none pending. */
export interface WatchState {
  since: number;
  fd: number;
}

export const IDLE: WatchState = { since: 0, fd: -1 };

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

/**
 * One check of the watchdog: ask V8 to stop the blocking JavaScript, then wait for the loop to
 * beat again (it answers the stuck call's 408 itself before it does); if it never does, give up.
 */
export function step(state: WatchState, s: Sample, timeoutMs: number): { state: WatchState; action: Action } {
  if (state.since > 0) {
    if (s.heartbeat > state.since) return { state: IDLE, action: { kind: 'recovered' } };
    if (s.now - state.since > GIVE_UP_AFTER_MS)
      return { state: IDLE, action: { kind: 'give-up', fd: state.fd } };
    return { state, action: { kind: 'none' } };
  }
  const verdict = decide(s.now, s.callStart, s.heartbeat, s.fd, timeoutMs);
  if (verdict.kind === 'ok') return { state, action: { kind: 'none' } };
  return {
    state: { since: s.now, fd: verdict.kind === 'stuck-call' ? verdict.fd : -1 },
    action: { kind: 'terminate', reason: verdict.kind },
  };
}

export function timeoutResponse(timeoutMs: number): string {
  const body = JSON.stringify({ error: timeoutMessage(timeoutMs / 1000) });
  return (
    'HTTP/1.1 408 Request Timeout\r\n' +
    'Content-Type: application/json; charset=utf-8\r\n' +
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
