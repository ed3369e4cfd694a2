// One POST per record to a function, on lib/invoke's kept connections (the ones the invoke proxy,
// the HTTP-trigger gateway and CronJob callers use): a record sent on a kept socket that the
// function closed at that very moment (a rollout, its keep-alive timeout) goes again once on a new
// connection (lib/invoke/retry.ts) instead of costing an attempt. undici's dispatch API underneath:
// no request/response stream objects per call (ADR 0010 has the client CPU figures).
import type { IncomingHttpHeaders } from 'node:http';
import { callFunction } from '../lib/invoke/call.js';
import { FunctionConnections, type Address } from '../lib/invoke/connections.js';

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
 * The process's connections when the caller brings none: `kubeless kafka-trigger` makes only Kafka
 * deliveries; the local platform passes its own, shared with invoke, the gateway and CronJobs.
 */
let processConnections: FunctionConnections | undefined;

function defaultConnections(): FunctionConnections {
  processConnections ??= new FunctionConnections();
  return processConnections;
}

interface Target {
  address: Address;
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
  const tls = parsed.protocol === 'https:';
  if (!tls && parsed.protocol !== 'http:') return undefined;
  if (targets.size >= MAX_TARGETS) targets.clear();
  t = {
    // URL keeps an IPv6 host in brackets; an Address holds the bare host.
    address: {
      host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(parsed.port || (tls ? 443 : 80)),
      tls,
    },
    path: `${parsed.pathname}${parsed.search}`,
  };
  targets.set(url, t);
  return t;
}

/** Closes the process's default connections (a process shutting down; tests). */
export function closeFunctionConnections(): void {
  processConnections?.close();
  processConnections = undefined;
  targets.clear();
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** What the function's answer means for the record. */
function answerResult(status: number, headers: IncomingHttpHeaders, body: Buffer): PostResult {
  if (status >= 200 && status < 300) return { ok: true, status, retryable: false };
  const text = body.toString('utf8').trim();
  return {
    ok: false,
    status,
    error: `HTTP ${status}${text ? `: ${text}` : ''}`,
    retryable: isRetryableStatus(status),
    backpressure: isBackpressureStatus(status),
    retryAfterMs: parseRetryAfter(header(headers, 'retry-after')),
  };
}

/** What a call that got no whole answer means for the record. */
function failureResult(url: string, timeoutMs: number, err: NodeJS.ErrnoException): PostResult {
  switch (err.code) {
    case 'TIMEOUT':
      return { ok: false, error: `no answer from ${url} within ${timeoutMs} ms`, retryable: true };
    case 'ABORTED':
      return {
        ok: false,
        error: 'delivery abandoned (consumer stopping or partition revoked)',
        retryable: false,
      };
    case 'UND_ERR_INVALID_ARG':
      // Refused before sending (a header undici will not send): another attempt cannot help.
      return { ok: false, error: `POST ${url}: ${err.message}`, retryable: false };
    default:
      return {
        ok: false,
        error: `POST ${url}: ${err.message}`,
        retryable: true,
        // Nothing listens yet (a pod starting, a Service without endpoints): not the record's fault.
        backpressure: err.code === 'ECONNREFUSED',
      };
  }
}

/** One POST with a deadline; never throws, always settles, even when the signal aborts. */
export async function postOnce(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
  connections: FunctionConnections = defaultConnections(),
): Promise<PostResult> {
  const target = targetOf(url);
  if (!target) return { ok: false, error: `invalid function URL ${JSON.stringify(url)}`, retryable: false };
  try {
    const answer = await callFunction(
      connections,
      target.address,
      { method: 'POST', path: target.path, headers, body },
      { timeoutMs, maxAnswerBytes: ERROR_BODY_LIMIT, signal },
    );
    return answerResult(answer.status, answer.headers, answer.body);
  } catch (err) {
    // Not `instanceof Error`: errors made in another realm (a test's VM context) are no instances.
    const e =
      typeof err === 'object' && err !== null ? (err as NodeJS.ErrnoException) : new Error(String(err));
    return failureResult(url, timeoutMs, e);
  }
}
