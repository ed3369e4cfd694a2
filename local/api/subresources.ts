// subresources.kubeless.io/v1: `invoke` proxies any request to the function's runtime process
// (lib/invoke, the cluster's proxy with the process resolver), `log`/`logs` serve what the runtime
// printed. Errors are Status objects like everywhere else.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
// The aggregated API server's request rules, so invoke and log behave the same with or without a cluster.
import { parseSubresourcePath, SUBRESOURCE_PREFIX } from '../../api/request.js';
import { parseLogQuery } from '../../api/logs.js';
import type { FunctionConnections } from '../../lib/invoke/connections.js';
import { createInvokeProxy, sendStatusJson, type InvokeTarget } from '../../lib/invoke/proxy.js';
import { INVOKE_DEADLINE_MARGIN_SECONDS } from '../../lib/function/timeout.js';
import { isStatus, notFoundStatus, statusFailure } from '../../lib/k8s/status.js';
import type { Endpoint } from '../controller/reconciler.js';
import type { FunctionLog, LogQuery } from '../controller/logs.js';
import { formatLine } from '../controller/logs.js';
import { sendStatus } from './http.js';
import { guardPathParams, objectCanExist } from './path-params.js';
import { originRefusal } from './request-origin.js';
import { processResolver } from './resolver.js';
import { GROUP } from '../../lib/types.js';

export interface FunctionBackend {
  endpoint(namespace: string, name: string): Endpoint;
  log(namespace: string, name: string): FunctionLog;
}

export interface InvokeOptions {
  backend: FunctionBackend;
  connections: FunctionConnections;
  logger: Logger;
  bodyLimit: number;
  /** How long an invoke waits for a function that is still starting. */
  startWaitMs: number;
  /** Host names the API answers to besides the loopback ones (--host-name). */
  hostNames: readonly string[];
}

export interface LocalInvoke {
  /**
   * Answers an invoke call before the express app sees it, when its path is clean and its Host and
   * Origin pass the guard: a call is the hot path, and express's layers cost more than the
   * proxying itself. Returns false for every other request (express then applies the guard and
   * kube-apiserver's path rules, and calls `call`).
   */
  fast(req: IncomingMessage, res: ServerResponse): boolean;
  call(req: IncomingMessage, res: ServerResponse, target: InvokeTarget): void;
}

const INVOKE_PATHS = `${SUBRESOURCE_PREFIX}/namespaces/`;
/** Parsed invoke URLs kept; past this many (every call a new query string?) the cache starts over. */
const KEPT_TARGETS = 512;
const KEPT_URL_LENGTH = 512;

export function localInvoke(opts: InvokeOptions): LocalInvoke {
  const names = opts.hostNames.map((n) => n.toLowerCase());
  const proxy = createInvokeProxy({
    resolver: processResolver(opts.backend, opts.startWaitMs),
    connections: opts.connections,
    mode: 'invoke',
    bodyLimitBytes: opts.bodyLimit,
    // As on the cluster: the function's own 408 at `timeout` comes back first.
    deadlineMarginSeconds: INVOKE_DEADLINE_MARGIN_SECONDS,
    logger: opts.logger,
  });
  const call = (req: IncomingMessage, res: ServerResponse, target: InvokeTarget): void => {
    proxy.handle(req, res, target).catch((err: Error) => {
      opts.logger.error(
        { namespace: target.namespace, name: target.name, error: err.message },
        'invoke failed',
      );
      sendStatusJson(
        res,
        statusFailure(500, 'InternalError', `invoke failed: ${err.message}; see the platform's log`),
      );
    });
  };
  // The same few invoke URLs come again and again: their parsed targets are kept (the parse, with
  // its decoding and name checks, was a visible part of a call's CPU time).
  const targets = new Map<string, InvokeTarget>();
  const fast = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '/';
    if (!url.startsWith(INVOKE_PATHS)) return false;
    if (originRefusal(req, names) !== undefined) return false;
    let target = targets.get(url);
    if (target === undefined) {
      const q = url.indexOf('?');
      const sr = parseSubresourcePath(q < 0 ? url : url.slice(0, q));
      // A malformed path gets express's answers (kube-apiserver's segment rules).
      if (sr === undefined || isStatus(sr) || sr.subresource !== 'invoke') return false;
      target = Object.freeze({
        namespace: sr.namespace,
        name: sr.name,
        path: `${sr.path}${q < 0 ? '' : url.slice(q)}`,
      });
      if (url.length <= KEPT_URL_LENGTH) {
        if (targets.size >= KEPT_TARGETS) targets.clear();
        targets.set(url, target);
      }
    }
    call(req, res, target);
    return true;
  };
  return { fast, call };
}

export interface SubresourceOptions {
  backend: FunctionBackend;
  invoke: LocalInvoke;
}

export function subresourcesRouter(opts: SubresourceOptions): Router {
  const router = express.Router();
  guardPathParams(router);
  // Requests the fast path of invokeHandler left to express (a path that needs kube-apiserver's
  // segment rules, a Host or Origin the guard refuses first): the same proxy, after those checks.
  const invoke = (req: Request, res: Response): void => {
    const ns = String(req.params.ns);
    const name = String(req.params.name);
    if (!objectCanExist(ns, name)) {
      sendStatus(res, notFoundStatus('Function', name, GROUP, 'functions'));
      return;
    }
    const q = req.originalUrl.indexOf('?');
    const sub = Array.isArray(req.params.path) ? req.params.path.join('/') : '';
    opts.invoke.call(req, res, {
      namespace: ns,
      name,
      path: `/${sub}${q < 0 ? '' : req.originalUrl.slice(q)}`,
    });
  };
  router.all('/namespaces/:ns/functions/:name/invoke', invoke);
  router.all('/namespaces/:ns/functions/:name/invoke/*path', invoke);

  const logs = (req: Request, res: Response): void => {
    const ns = String(req.params.ns);
    const name = String(req.params.name);
    if (!objectCanExist(ns, name) || opts.backend.endpoint(ns, name).state === 'missing') {
      sendStatus(res, notFoundStatus('Function', name, GROUP, 'functions'));
      return;
    }
    const parsed = parseLogQuery(new URL(req.originalUrl, 'http://local').searchParams);
    if ('kind' in parsed) {
      sendStatus(res, parsed);
      return;
    }
    // One process per function: `container` has nothing to choose from and is ignored.
    const q: LogQuery = {
      tailLines: parsed.tailLines,
      sinceSeconds: parsed.sinceSeconds,
      limitBytes: parsed.limitBytes,
      timestamps: parsed.timestamps,
    };
    const log = opts.backend.log(ns, name);
    res.status(200).type('text/plain; charset=utf-8');
    res.write(log.read(q));
    if (!parsed.follow) {
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
