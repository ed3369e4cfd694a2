import http from 'node:http';
import https from 'node:https';

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

/** Error bodies are read this far for the dead-letter headers; the rest is drained unread. */
const ERROR_BODY_LIMIT = 1024;

// Keep-alive matters: without it every message pays a TCP handshake to the function.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/** 408 and 429 mean "later", 5xx mean "broken for now"; other 4xx will not change on retry. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
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
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve({ ok: false, error: `invalid function URL ${JSON.stringify(url)}`, retryable: false });
      return;
    }
    const transport = parsed.protocol === 'https:' ? https : http;
    const agent = parsed.protocol === 'https:' ? agents['https:'] : agents['http:'];
    let settled = false;
    const finish = (r: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const req = transport.request(parsed, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': String(body.length) },
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, error: `no answer from ${url} within ${timeoutMs} ms`, retryable: true });
    }, timeoutMs);
    const onAbort = (): void => {
      req.destroy();
      finish({
        ok: false,
        error: 'delivery abandoned (consumer stopping or partition revoked)',
        retryable: false,
      });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        error: `POST ${url}: ${err.message}`,
        retryable: true,
        // Nothing listens yet (a pod starting, a Service without endpoints): not the record's fault.
        backpressure: err.code === 'ECONNREFUSED',
      }),
    );
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < ERROR_BODY_LIMIT) chunks.push(c);
        size += c.length;
      });
      res.on('error', (err) => finish({ ok: false, status, error: err.message, retryable: true }));
      res.on('end', () => {
        if (status >= 200 && status < 300) {
          finish({ ok: true, status, retryable: false });
          return;
        }
        const text = Buffer.concat(chunks).subarray(0, ERROR_BODY_LIMIT).toString('utf8').trim();
        const retryAfter = res.headers['retry-after'];
        finish({
          ok: false,
          status,
          error: `HTTP ${status}${text ? `: ${text}` : ''}`,
          retryable: isRetryableStatus(status),
          backpressure: isBackpressureStatus(status),
          retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
        });
      });
    });
    req.end(body);
  });
}
