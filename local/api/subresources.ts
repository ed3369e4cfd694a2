// subresources.kubeless.io/v1: `invoke` proxies any request to the function's runtime process,
// `log`/`logs` serve what the runtime printed. Errors are Status objects like everywhere else.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import httpProxy from 'http-proxy';
import type { Logger } from 'pino';
import { notFoundStatus, statusFailure } from '../../lib/k8s/status.js';
import type { Endpoint } from '../controller/reconciler.js';
import type { FunctionLog, LogQuery } from '../controller/logs.js';
import { formatLine } from '../controller/logs.js';
import { isTrue, queryString, sendStatus } from './http.js';
import { declaredTooLarge, forward, notReadyFailure, waitForEndpoint, type ProxyFailure } from './proxy.js';
import { GROUP } from './resources.js';

export interface FunctionBackend {
  endpoint(namespace: string, name: string): Endpoint;
  log(namespace: string, name: string): FunctionLog;
}

export interface SubresourceOptions {
  backend: FunctionBackend;
  logger: Logger;
  bodyLimit: number;
  /** How long an invoke waits for a function that is still starting. */
  startWaitMs: number;
}

/** Kubeless event headers the runtime maps onto the event; generated when the caller sent none. */
export function eventHeaders(
  existing: IncomingMessage['headers'],
  namespace: string,
  now: Date,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existing['event-id'] && !existing['ce-id']) out['event-id'] = randomUUID();
  if (!existing['event-time'] && !existing['ce-time']) out['event-time'] = now.toISOString();
  if (!existing['event-type'] && !existing['ce-type']) {
    out['event-type'] = (existing['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim();
  }
  if (!existing['event-namespace']) out['event-namespace'] = `${namespace}.local.kubeless.io`;
  return out;
}

function numberParam(v: unknown, name: string): number | undefined {
  const s = queryString(v);
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${JSON.stringify(s)}`);
  return n;
}

export function subresourcesRouter(opts: SubresourceOptions): Router {
  const router = express.Router();
  const proxy = httpProxy.createProxyServer({ changeOrigin: false });

  const invoke = async (req: Request, res: Response): Promise<void> => {
    const ns = String(req.params.ns);
    const name = String(req.params.name);
    const fail = (f: ProxyFailure): void => sendStatus(res, statusFailure(f.code, f.reason, f.message));
    const tooLarge = declaredTooLarge(req, opts.bodyLimit);
    if (tooLarge) {
      fail(tooLarge);
      return;
    }
    const ep = await waitForEndpoint(() => opts.backend.endpoint(ns, name), opts.startWaitMs);
    if (ep.state === 'missing') {
      sendStatus(res, notFoundStatus('Function', name, GROUP, 'functions'));
      return;
    }
    if (ep.state !== 'ready') {
      fail(notReadyFailure(ep, ns, name, opts.startWaitMs));
      return;
    }
    const sub =
      typeof req.params.path === 'string'
        ? req.params.path
        : Array.isArray(req.params.path)
          ? req.params.path.join('/')
          : '';
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    forward(proxy, req, res, {
      port: ep.port,
      url: `/${sub}${query}`,
      headers: eventHeaders(req.headers, ns, new Date()),
      bodyLimit: opts.bodyLimit,
      // Like the aggregated API server: the function's own 408 at `timeout` comes back first.
      timeoutMs: (ep.timeoutSeconds + 5) * 1000,
      label: `function ${ns}/${name}`,
      forwarded: false,
      logger: opts.logger,
      fail,
    });
  };
  router.all('/namespaces/:ns/functions/:name/invoke', invoke);
  router.all('/namespaces/:ns/functions/:name/invoke/*path', invoke);

  const logs = (req: Request, res: Response): void => {
    const ns = String(req.params.ns);
    const name = String(req.params.name);
    if (opts.backend.endpoint(ns, name).state === 'missing') {
      sendStatus(res, notFoundStatus('Function', name, GROUP, 'functions'));
      return;
    }
    let q: LogQuery;
    try {
      q = {
        tailLines: numberParam(req.query.tailLines, 'tailLines'),
        sinceSeconds: numberParam(req.query.sinceSeconds, 'sinceSeconds'),
        limitBytes: numberParam(req.query.limitBytes, 'limitBytes'),
        timestamps: isTrue(req.query.timestamps),
      };
    } catch (err) {
      sendStatus(res, statusFailure(400, 'BadRequest', (err as Error).message));
      return;
    }
    const log = opts.backend.log(ns, name);
    res.status(200).type('text/plain; charset=utf-8');
    res.write(log.read(q));
    if (!isTrue(req.query.follow)) {
      res.end();
      return;
    }
    res.flushHeaders();
    const stop = log.follow((l) => res.write(formatLine(l, q.timestamps === true)));
    req.on('close', stop);
    res.on('close', stop);
  };
  router.get('/namespaces/:ns/functions/:name/log', logs);
  router.get('/namespaces/:ns/functions/:name/logs', logs);
  return router;
}
