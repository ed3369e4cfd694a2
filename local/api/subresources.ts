// subresources.kubeless.io/v1: `invoke` proxies any request to the function's runtime process,
// `log`/`logs` serve what the runtime printed. Errors are Status objects like everywhere else.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import httpProxy from 'http-proxy';
import type { Logger } from 'pino';
import { notFoundStatus, statusFailure } from '../../lib/k8s/status.js';
import type { Endpoint } from '../controller/reconciler.js';
import type { FunctionLog, LogQuery } from '../controller/logs.js';
import { formatLine } from '../controller/logs.js';
import { isTrue, queryString, sendStatus } from './http.js';
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

async function waitForEndpoint(
  backend: FunctionBackend,
  ns: string,
  name: string,
  waitMs: number,
): Promise<Endpoint> {
  const deadline = Date.now() + waitMs;
  let ep = backend.endpoint(ns, name);
  while (ep.state === 'starting' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
    ep = backend.endpoint(ns, name);
  }
  return ep;
}

export function subresourcesRouter(opts: SubresourceOptions): Router {
  const router = express.Router();
  const proxy = httpProxy.createProxyServer({ xfwd: false, changeOrigin: false });

  const invoke = async (req: Request, res: Response): Promise<void> => {
    const ns = String(req.params.ns);
    const name = String(req.params.name);
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > opts.bodyLimit) {
      sendStatus(
        res,
        statusFailure(
          413,
          'RequestEntityTooLarge',
          `the request body (${declared} bytes) is larger than the ${opts.bodyLimit}-byte limit; send a smaller body or start the platform with a larger KUBELESS_BODY_LIMIT`,
        ),
      );
      return;
    }
    const ep = await waitForEndpoint(opts.backend, ns, name, opts.startWaitMs);
    if (ep.state === 'missing') {
      sendStatus(res, notFoundStatus('Function', name, GROUP, 'functions'));
      return;
    }
    if (ep.state !== 'ready') {
      const why =
        ep.state === 'failed' ? `${ep.reason}: ${ep.message}` : `still starting after ${opts.startWaitMs} ms`;
      sendStatus(
        res,
        statusFailure(
          503,
          'ServiceUnavailable',
          `function ${ns}/${name} is not ready (${why}); see kubectl get function ${name} -o yaml and its log`,
        ),
      );
      return;
    }
    let received = 0;
    req.on('data', (c: Buffer) => {
      received += c.length;
      if (received > opts.bodyLimit && !res.headersSent) {
        sendStatus(
          res,
          statusFailure(
            413,
            'RequestEntityTooLarge',
            `the request body is larger than the ${opts.bodyLimit}-byte limit; send a smaller body`,
          ),
        );
        req.destroy();
      }
    });
    const sub =
      typeof req.params.path === 'string'
        ? req.params.path
        : Array.isArray(req.params.path)
          ? req.params.path.join('/')
          : '';
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    req.url = `/${sub}${query}`;
    Object.assign(req.headers, eventHeaders(req.headers, ns, new Date()));
    const started = Date.now();
    const timeoutMs = (ep.timeoutSeconds + 5) * 1000;
    proxy.web(
      req as IncomingMessage,
      res as ServerResponse,
      { target: `http://127.0.0.1:${ep.port}`, proxyTimeout: timeoutMs },
      (err) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const timedOut = Date.now() - started >= timeoutMs - 50;
        opts.logger.warn({ namespace: ns, name, error: err.message }, 'invoke failed');
        sendStatus(
          res,
          timedOut
            ? statusFailure(
                504,
                'Timeout',
                `function ${ns}/${name} did not answer within ${timeoutMs / 1000} s; raise spec.timeout or make the handler faster`,
              )
            : statusFailure(
                503,
                'ServiceUnavailable',
                `function ${ns}/${name} could not be reached (${err.message}); it may be restarting, retry shortly`,
              ),
        );
      },
    );
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
