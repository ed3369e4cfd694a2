// The watchdog's decisions: when it stops blocked JavaScript, when it sees the loop recovered, and
// when it gives up on a block nothing can interrupt.
import { describe, expect, it } from '@jest/globals';
import {
  GIVE_UP_AFTER_MS,
  IDLE,
  QUIET_MS,
  type Sample,
  STALL_MS,
  step,
  timeoutResponse,
  type WatchState,
} from '../../../../runtimes/nodejs/watchdog-decide.js';

const TIMEOUT = 1000;
const T0 = 1_700_000_000_000;
const sample = (over: Partial<Sample>): Sample => ({ now: T0, callStart: 0, heartbeat: T0, fd: -1, ...over });

describe('watchdog step', () => {
  it('leaves a synchronous call alone until it passes the timeout, then stops it', () => {
    const early = step(IDLE, sample({ now: T0 + 900, callStart: T0, heartbeat: T0 + 900, fd: 12 }), TIMEOUT);
    expect(early.action).toEqual({ kind: 'none' });
    const late = step(IDLE, sample({ now: T0 + 1100, callStart: T0, heartbeat: T0, fd: 12 }), TIMEOUT);
    expect(late.action).toEqual({ kind: 'terminate', reason: 'stuck-call' });
    expect(late.state).toMatchObject({ since: T0 + 1100, fd: 12 });
  });

  it('stops a loop blocked outside any call only after the timeout plus a second', () => {
    const quiet = step(IDLE, sample({ now: T0 + 1900, heartbeat: T0 }), TIMEOUT);
    expect(quiet.action.kind).toBe('none');
    const blocked = step(IDLE, sample({ now: T0 + 2100, heartbeat: T0 }), TIMEOUT);
    expect(blocked.action).toEqual({ kind: 'terminate', reason: 'blocked-loop' });
    expect(blocked.state.fd).toBe(-1);
  });

  it('waits for a heartbeat after the stop instead of stopping again', () => {
    const pending: WatchState = { ...IDLE, since: T0 + 1100, fd: 12 };
    const waiting = step(pending, sample({ now: T0 + 1300, callStart: T0, heartbeat: T0, fd: 12 }), TIMEOUT);
    expect(waiting.action).toEqual({ kind: 'none' });
    expect(waiting.state).toMatchObject({ since: T0 + 1100, fd: 12 });
    const back = step(waiting.state, sample({ now: T0 + 1400, heartbeat: T0 + 1350 }), TIMEOUT);
    expect(back.action).toEqual({ kind: 'recovered' });
    expect(back.state).toMatchObject({ since: 0, fd: -1 });
  });

  it('gives up, naming the stuck socket, when the loop stays blocked past the grace', () => {
    const pending: WatchState = { ...IDLE, since: T0 + 1100, fd: 12 };
    const still = step(
      pending,
      sample({ now: T0 + 1100 + GIVE_UP_AFTER_MS, callStart: T0, heartbeat: T0 }),
      TIMEOUT,
    );
    expect(still.action.kind).toBe('none');
    const over = step(
      pending,
      sample({ now: T0 + 1101 + GIVE_UP_AFTER_MS, callStart: T0, heartbeat: T0 }),
      TIMEOUT,
    );
    expect(over.action).toEqual({ kind: 'give-up', fd: 12 });
  });

  it('does not blame the loop for a pause of the whole process, and judges it after a quiet time', () => {
    // The watchdog's own checks stopped for 3 s too: the process was paused or starved.
    const before: WatchState = { ...IDLE, lastCheck: T0 };
    const resumed = step(before, sample({ now: T0 + 3000, heartbeat: T0 }), TIMEOUT);
    expect(resumed.action.kind).toBe('none');
    const quiet = step(resumed.state, sample({ now: T0 + 3000 + QUIET_MS - 100, heartbeat: T0 }), TIMEOUT);
    expect(quiet.action.kind).toBe('none');
    // The loop still has not beaten once the quiet time is over: now it is blocked.
    const judged = step(quiet.state, sample({ now: T0 + 3000 + QUIET_MS + 1, heartbeat: T0 }), TIMEOUT);
    expect(judged.action).toEqual({ kind: 'terminate', reason: 'blocked-loop' });
  });

  it('moves a pending give-up by the length of a pause', () => {
    const pending: WatchState = { ...IDLE, since: T0, fd: 12, lastCheck: T0 };
    const paused = step(pending, sample({ now: T0 + STALL_MS + 1000, heartbeat: T0 - 5000 }), TIMEOUT);
    expect(paused.action.kind).toBe('none');
    expect(paused.state.since).toBe(T0 + STALL_MS + 1000);
  });
});

describe('last-resort 408', () => {
  it('is a complete HTTP response whose length matches its body', () => {
    const raw = timeoutResponse(2500);
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(head).toContain('Connection: close');
    expect(head).toContain('Kubeless-Error: true');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body!)}`);
    expect(JSON.parse(body!)).toEqual({ error: expect.stringContaining('timeout of 2.5s') });
  });
});
