// Runs the contract cases (cases.ts) as jest tests against one platform. The runner of each
// platform (test/integration/local/contract.test.ts, test/e2e/real-node-contract.test.ts) starts
// its platform, hands over a driver, and stops it; everything else is here, once.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  INVOKE_CASES,
  LOG_CASES,
  READY_CASES,
  type Expectation,
  type InvokeCase,
  type ReadyCase,
} from './cases.js';
import { FUNCTIONS } from './functions.js';
import type { Answer, PlatformDriver } from './driver.js';

/**
 * An expected value as a jest matcher: RegExps become stringMatching (so a case can say "an id" or
 * "a time"), objects match the keys they name at every depth (the answer may carry more).
 */
function matcher(v: unknown): unknown {
  if (v instanceof RegExp) return expect.stringMatching(v);
  if (Array.isArray(v)) return v.map(matcher);
  if (v !== null && typeof v === 'object') {
    return expect.objectContaining(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, matcher(x)])));
  }
  return v;
}

/** What the answer shows, in the shape of the expectation, so a failure prints both side by side. */
function observed(a: Answer, see: Expectation): Record<string, unknown> {
  const status = a.json as { kind?: string; reason?: string } | undefined;
  const out: Record<string, unknown> = {
    status: a.status,
    statusReason: status?.kind === 'Status' ? status.reason : undefined,
  };
  if (see.headers) {
    out.headers = Object.fromEntries(
      Object.keys(see.headers).map((h) => [h, a.headers[h] === undefined ? null : String(a.headers[h])]),
    );
  }
  if (see.json) out.json = a.json ?? a.text.slice(0, 300);
  if (see.atLeastSeconds !== undefined) out.atLeastSeconds = a.seconds >= see.atLeastSeconds;
  return out;
}

function wanted(see: Expectation): Record<string, unknown> {
  const out: Record<string, unknown> = { status: see.status, statusReason: see.statusReason };
  if (see.headers) out.headers = matcher(see.headers);
  if (see.json) out.json = matcher(see.json);
  if (see.atLeastSeconds !== undefined) out.atLeastSeconds = true;
  return out;
}

function expectationOn(c: InvokeCase, platform: PlatformDriver['name']): Expectation {
  return c.differs?.[platform]?.see ?? c.see;
}

/** The time a Function may take to become Ready (or fail) on this platform. */
export interface SuiteOptions {
  readyTimeoutMs: number;
  /** Polling interval for status and logs. */
  intervalMs: number;
}

async function poll<T>(
  what: string,
  timeoutMs: number,
  intervalMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The Ready condition a case expects on this platform, in the shape compared. */
function readyWanted(
  c: ReadyCase,
  platform: PlatformDriver['name'],
): { status: string; reason: string; message: unknown } {
  const d = c.differs?.[platform];
  const message = d?.message ?? c.message;
  return {
    status: c.status,
    reason: d?.reason ?? c.reason,
    message: message ? expect.stringMatching(message) : expect.any(String),
  };
}

/**
 * Defines the contract tests for the platform `driver()` returns (called once the runner's
 * beforeAll has started it). All Functions are created at once, then every Ready case is awaited.
 */
export function contractSuite(driver: () => PlatformDriver, o: SuiteOptions): void {
  let d: PlatformDriver;
  const ready = new Map<string, { status: string; reason: string; message: string } | Error>();

  beforeAll(async () => {
    d = driver();
    await d.prepare();
    await d.create(FUNCTIONS);
    // Every Function's condition is awaited in parallel: wall time is the slowest, not the sum.
    await Promise.all(
      READY_CASES.map(async (c) => {
        const want = readyWanted(c, d.name);
        let last: unknown;
        try {
          const got = await poll(`${c.fn} Ready=${c.status}`, o.readyTimeoutMs, o.intervalMs, async () => {
            const r = await d.ready(c.fn);
            last = r;
            return r && r.status === want.status && r.reason === want.reason ? r : undefined;
          });
          ready.set(c.fn, { status: got.status, reason: got.reason ?? '', message: got.message ?? '' });
        } catch {
          ready.set(
            c.fn,
            new Error(`Function ${c.fn}'s Ready condition, last seen: ${JSON.stringify(last)}`),
          );
        }
      }),
    );
  }, o.readyTimeoutMs + 120_000);

  describe('status conditions and reasons', () => {
    test.each(READY_CASES.map((c) => [`${c.fn}: Ready=${c.status} ${c.reason}`, c] as const))(
      '%s',
      (_t, c) => {
        const got = ready.get(c.fn);
        if (got instanceof Error) throw got;
        expect(got).toEqual(readyWanted(c, d.name));
      },
    );
  });

  describe('invoke', () => {
    test.each(INVOKE_CASES.map((c) => [c.title, c] as const))('%s', async (_t, c) => {
      const cannot = c.cannotRunOn?.[d.name];
      if (cannot !== undefined) {
        process.stderr.write(`[contract] not on ${d.name}: ${c.title} (${cannot})\n`);
        return;
      }
      const see = expectationOn(c, d.name);
      const body = typeof c.request.body === 'function' ? c.request.body() : c.request.body;
      const answer = await d.invoke(c.fn, c.request.path ?? '/', {
        method: c.request.method ?? 'POST',
        headers: c.request.headers,
        body,
        timeoutMs: 60_000,
      });
      expect(observed(answer, see)).toEqual(wanted(see));
    });
  });

  describe('logs', () => {
    test.each(LOG_CASES.map((c) => [c.title, c] as const))('%s', async (_t, c) => {
      const marker = randomUUID().slice(0, 8);
      if (c.print) {
        const call = await d.invoke(c.fn, '/', { method: 'GET', headers: { 'x-log': marker } });
        expect(call.status).toBe(200);
      }
      const line = c.see.line?.replace('{marker}', marker);
      // Logs are collected asynchronously on both platforms (a pipe, the kubelet's files).
      const answer = await poll(`the log of ${c.fn}`, 30_000, o.intervalMs, async () => {
        const a = await d.log(c.fn, c.query);
        return line === undefined || a.text.split('\n').includes(line) ? a : undefined;
      }).catch(async () => d.log(c.fn, c.query));
      const status = answer.json as { kind?: string; reason?: string } | undefined;
      expect({
        status: answer.status,
        statusReason: status?.kind === 'Status' ? status.reason : undefined,
        line:
          line === undefined
            ? undefined
            : answer.text.split('\n').includes(line)
              ? line
              : answer.text.slice(-500),
      }).toEqual({ status: c.see.status, statusReason: c.see.statusReason, line });
    });
  });
}
