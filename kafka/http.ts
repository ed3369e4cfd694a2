// One POST per record to a function, over kept-alive connections. undici's dispatch API rather
// than node:http: no request/response stream objects per call, which measured 46-65 µs of client
// CPU a call against node:http's 116-200 µs (bench/kafka.ts and the numbers in ADR 0010).
import { Pool, type Dispatcher } from 'undici';

export interface PostResult {
  ok: boolean;
  status?: number;
  /** What went wrong, for logs and the dead-letter headers. */
  error?: string;
  /** False when another attempt cannot help (the function rejected the input). */
  retryable: boolean;
  /**
   * The function is not taking work now (429, 503, nothing listening): wait and ask again,
   * without counting an attempt, since the record was not refused.
   */
  backpressure?: boolean;
  /** What the function's Retry-After asked for, in milliseconds. */
  retryAfterMs?: number;
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** 429 and 503 are the function saying "not now": they slow the trigger down, they are no failure. */
export function isBackpressureStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** 408 and 429 mean "later", 5xx mean "broken for now"; other 4xx will not change on retry. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Error bodies are read this far for the dead-letter headers; the rest is drained unread. */
const ERROR_BODY_LIMIT = 1024;

/**
 * Connections per function address, over every trigger of this process (maxInFlight caps each):
 * below the Python runtime's default cap of 256 connections, so a busy pool is never refused.
 */
const CONNECTIONS_PER_ORIGIN = 128;

const pools = new Map<string, Pool>();

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, {
      connections: CONNECTIONS_PER_ORIGIN,
      // One call at a time per connection: a slow record must not hold up the one behind it.
      pipelining: 1,
      // Idle connections close before the runtimes' own keep-alive timeout (65 s) can race a call;
      // undici also honours a shorter `Keep-Alive: timeout` the function announces.
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 30_000,
      // The deadline is the trigger's timeoutMs (below); undici's own would cut long calls.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: 10_000 },
    });
    pools.set(origin, pool);
  }
  return pool;
}

interface Target {
  pool: Pool;
  path: string;
}

// A URL per function: parsed once, not per record. Bounded, since functions come and go.
const targets = new Map<string, Target>();
const MAX_TARGETS = 1024;

function targetOf(url: string): Target | undefined {
  let t = targets.get(url);
  if (t) return t;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (targets.size >= MAX_TARGETS) targets.clear();
  t = { pool: poolFor(parsed.origin), path: `${parsed.pathname}${parsed.search}` };
  targets.set(url, t);
  return t;
}

/** Closes every kept connection (a process shutting down; tests). */
export async function closeFunctionConnections(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  targets.clear();
  await Promise.all(all.map((p) => p.destroy().catch(() => undefined)));
}

/** One POST with a deadline; never throws, always settles, even when the signal aborts. */
export function postOnce(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<PostResult> {
  return new Promise((resolve) => {
    const target = targetOf(url);
    if (!target) {
      resolve({ ok: false, error: `invalid function URL ${JSON.stringify(url)}`, retryable: false });
      return;
    }
    let controller: Dispatcher.DispatchController | undefined;
    // Set once the call is given up: a call still queued in the pool is aborted when it starts.
    let stopped: Error | undefined;
    let settled = false;
    const finish = (r: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const stop = (reason: string, r: PostResult): void => {
      stopped = new Error(reason);
      // Settle first: aborting reports the call's own error, which must not win.
      finish(r);
      controller?.abort(stopped);
    };
    const timer = setTimeout(
      () =>
        stop('timeout', {
          ok: false,
          error: `no answer from ${url} within ${timeoutMs} ms`,
          retryable: true,
        }),
      timeoutMs,
    );
    const onAbort = (): void =>
      stop('aborted', {
        ok: false,
        error: 'delivery abandoned (consumer stopping or partition revoked)',
        retryable: false,
      });
    signal?.addEventListener('abort', onAbort, { once: true });

    let status = 0;
    let retryAfter: string | undefined;
    let errorBody: Buffer[] | undefined;
    let errorSize = 0;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (stopped) c.abort(stopped);
      },
      onResponseStart(_c, code, resHeaders) {
        // 1xx (100 Continue) are not the answer.
        if (code < 200) return;
        status = code;
        if (code >= 300) {
          errorBody = [];
          const ra = resHeaders['retry-after'];
          retryAfter = Array.isArray(ra) ? ra[0] : ra;
        }
      },
      onResponseData(_c, chunk) {
        if (errorBody && errorSize < ERROR_BODY_LIMIT) errorBody.push(chunk);
        errorSize += chunk.length;
      },
      onResponseEnd() {
        if (status >= 200 && status < 300) {
          finish({ ok: true, status, retryable: false });
          return;
        }
        const text = Buffer.concat(errorBody ?? [])
          .subarray(0, ERROR_BODY_LIMIT)
          .toString('utf8')
          .trim();
        finish({
          ok: false,
          status,
          error: `HTTP ${status}${text ? `: ${text}` : ''}`,
          retryable: isRetryableStatus(status),
          backpressure: isBackpressureStatus(status),
          retryAfterMs: parseRetryAfter(retryAfter),
        });
      },
      onResponseError(_c, err: NodeJS.ErrnoException) {
        finish({
          ok: false,
          ...(status ? { status } : {}),
          error: `POST ${url}: ${err.message}`,
          retryable: true,
          // Nothing listens yet (a pod starting, a Service without endpoints): not the record's fault.
          backpressure: err.code === 'ECONNREFUSED',
        });
      },
    };
    try {
      target.pool.dispatch({ path: target.path, method: 'POST', headers, body }, handler);
    } catch (err) {
      // Refused before sending (a header undici will not send): another attempt cannot help.
      finish({
        ok: false,
        error: `POST ${url}: ${err instanceof Error ? err.message : String(err)}`,
        retryable: false,
      });
    }
  });
}
