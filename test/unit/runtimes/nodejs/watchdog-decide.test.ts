// The watchdog's decisions: when it stops blocked JavaScript, when it sees the loop recovered, and
// when it gives up on a block nothing can interrupt.
import { describe, expect, it } from '@jest/globals';
import {
  GIVE_UP_AFTER_MS,
  IDLE,
  type Sample,
  step,
  timeoutResponse,
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
    expect(late.state).toEqual({ since: T0 + 1100, fd: 12 });
  });

  it('stops a loop blocked outside any call only after the timeout plus a second', () => {
    const quiet = step(IDLE, sample({ now: T0 + 1900, heartbeat: T0 }), TIMEOUT);
    expect(quiet.action.kind).toBe('none');
    const blocked = step(IDLE, sample({ now: T0 + 2100, heartbeat: T0 }), TIMEOUT);
    expect(blocked.action).toEqual({ kind: 'terminate', reason: 'blocked-loop' });
    expect(blocked.state.fd).toBe(-1);
  });

  it('waits for a heartbeat after the stop instead of stopping again', () => {
    const pending = { since: T0 + 1100, fd: 12 };
    const waiting = step(pending, sample({ now: T0 + 1300, callStart: T0, heartbeat: T0, fd: 12 }), TIMEOUT);
    expect(waiting).toEqual({ state: pending, action: { kind: 'none' } });
    const back = step(pending, sample({ now: T0 + 1400, heartbeat: T0 + 1350 }), TIMEOUT);
    expect(back).toEqual({ state: IDLE, action: { kind: 'recovered' } });
  });

  it('gives up, naming the stuck socket, when the loop stays blocked past the grace', () => {
    const pending = { since: T0 + 1100, fd: 12 };
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
    expect(over).toEqual({ state: IDLE, action: { kind: 'give-up', fd: 12 } });
  });
});

describe('last-resort 408', () => {
  it('is a complete HTTP response whose length matches its body', () => {
    const raw = timeoutResponse(2500);
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(head).toContain('Connection: close');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body!)}`);
    expect(JSON.parse(body!)).toEqual({ error: expect.stringContaining('timeout of 2.5s') });
  });
});
