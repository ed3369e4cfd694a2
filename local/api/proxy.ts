// Streams one HTTP request to a function's runtime process and its answer back, with a body-size
// limit and a deadline. Shared by the invoke subresource and the HTTPTrigger gateway, which differ
// only in the path they send, the headers they add and how they word a failure.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type httpProxy from 'http-proxy';
import type { Logger } from 'pino';
import type { StatusReason } from '../../lib/k8s/status.js';
import type { Endpoint } from '../controller/reconciler.js';

export interface ProxyFailure {
  code: number;
  reason: StatusReason;
  message: string;
}

export interface ForwardOptions {
  /** The runtime process's loopback port. */
  port: number;
  /** Path and query the function sees. */
  url: string;
  /** The headers the function receives instead of the caller's; undefined passes them through. */
  headers: Record<string, string | string[]> | undefined;
  bodyLimit: number;
  timeoutMs: number;
  /** `function ns/name`, for messages. */
  label: string;
  /** Add X-Forwarded-For/-Host/-Proto/-Port as an ingress controller does. */
  forwarded: boolean;
  logger: Logger;
  fail: (f: ProxyFailure) => void;
  /** The body, when it was read before forwarding (to decide its content type); else the request streams. */
  body?: Buffer;
}

/** A body that announces more than the limit is refused before any function is looked up. */
export function declaredTooLarge(req: IncomingMessage, bodyLimit: number): ProxyFailure | undefined {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (!(declared > bodyLimit)) return undefined;
  return {
    code: 413,
    reason: 'RequestEntityTooLarge',
    message: `the request body (${declared} bytes) is larger than the ${bodyLimit}-byte limit; send a smaller body, or pass large data by URL`,
  };
}

/** Why an endpoint that is not ready cannot take the request (503, with where to look). */
export function notReadyFailure(
  ep: Exclude<Endpoint, { state: 'ready' }>,
  namespace: string,
  name: string,
  waitedMs: number,
): ProxyFailure {
  const why =
    ep.state === 'failed'
      ? `${ep.reason}: ${ep.message}`
      : ep.state === 'missing'
        ? 'it does not exist'
        : `still starting after ${waitedMs} ms`;
  const fix =
    ep.state === 'missing'
      ? 'deploy it, or point the trigger at an existing Function'
      : `see kubectl get function ${name} -o yaml and its log`;
  return {
    code: 503,
    reason: 'ServiceUnavailable',
    message: `function ${namespace}/${name} is not ready (${why}); ${fix}`,
  };
}

/** Polls the backend while the function is starting (a fresh deploy takes a moment). */
export async function waitForEndpoint(read: () => Endpoint, waitMs: number): Promise<Endpoint> {
  const deadline = Date.now() + waitMs;
  let ep = read();
  while (ep.state === 'starting' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
    ep = read();
  }
  return ep;
}

export function forward(
  proxy: httpProxy,
  req: IncomingMessage,
  res: ServerResponse,
  o: ForwardOptions,
): void {
  // Counted as it streams: a chunked body has no content-length to check up front.
  let received = 0;
  req.on('data', (c: Buffer) => {
    received += c.length;
    if (received > o.bodyLimit && !res.headersSent) {
      o.fail({
        code: 413,
        reason: 'RequestEntityTooLarge',
        message: `the request body is larger than the ${o.bodyLimit}-byte limit; send a smaller body`,
      });
      req.destroy();
    }
  });
  req.url = o.url;
  if (o.headers) req.headers = o.headers;
  const started = Date.now();
  proxy.web(
    req,
    res,
    {
      target: `http://127.0.0.1:${o.port}`,
      proxyTimeout: o.timeoutMs,
      xfwd: o.forwarded,
      ...(o.body ? { buffer: Readable.from([o.body]) } : {}),
    },
    (err) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // http-proxy reports its own timeout as a reset socket; the clock tells the two apart.
      const timedOut = Date.now() - started >= o.timeoutMs - 50;
      o.logger.warn({ function: o.label, error: err.message, timedOut }, 'proxying to the function failed');
      o.fail(
        timedOut
          ? {
              code: 504,
              reason: 'Timeout',
              message: `${o.label} did not answer within ${o.timeoutMs / 1000} s; raise spec.timeout or make the handler faster`,
            }
          : {
              code: 503,
              reason: 'ServiceUnavailable',
              message: `${o.label} could not be reached (${err.message}); it may be restarting, retry shortly`,
            },
      );
    },
  );
}
