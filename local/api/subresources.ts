// subresources.kubeless.io/v1: `invoke` proxies any request to the function's runtime process,
// `log`/`logs` serve what the runtime printed. Errors are Status objects like everywhere else.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import httpProxy from 'http-proxy';
import type { Logger } from 'pino';
// The aggregated API server's request rules, so invoke and log behave the same with or without a cluster.
import { functionRequestHeaders } from '../../api/headers.js';
import { parseLogQuery } from '../../api/logs.js';
import { needsContentType, sniffContentType } from '../../lib/invoke/content-type.js';
import { readLimited } from '../../lib/invoke/read.js';
import {
  isRuntimeError,
  runtimeErrorStatus,
  RUNTIME_ERROR_MAX_BYTES,
} from '../../lib/invoke/runtime-error.js';
import { notFoundStatus, statusFailure } from '../../lib/k8s/status.js';
import type { Endpoint } from '../controller/reconciler.js';
import type { FunctionLog, LogQuery } from '../controller/logs.js';
import { formatLine } from '../controller/logs.js';
import { sendStatus } from './http.js';
import { declaredTooLarge, forward, notReadyFailure, waitForEndpoint, type ProxyFailure } from './proxy.js';
import { guardPathParams, objectCanExist } from './path-params.js';
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

/** Which function a proxied request is for, so its answer can name it. */
const targets = new WeakMap<IncomingMessage, { namespace: string; name: string }>();

/**
 * Passes a function's answer on untouched, except an error answer the runtime made itself
 * (lib/invoke/runtime-error.ts), which becomes a Status as on the cluster.
 */
function relayAnswer(up: IncomingMessage, req: IncomingMessage, res: ServerResponse): void {
  const target = targets.get(req);
  if (target && isRuntimeError(up.headers)) {
    readLimited(up, RUNTIME_ERROR_MAX_BYTES).then(
      (body) => {
        const s = runtimeErrorStatus(up.statusCode ?? 502, body, target.namespace, target.name);
        res.writeHead(s.code, { 'content-type': 'application/json' }).end(JSON.stringify(s));
      },
      () => res.destroy(),
    );
    return;
  }
  const headers = { ...up.headers };
  delete headers.connection;
  delete headers['keep-alive'];
  delete headers['transfer-encoding'];
  res.writeHead(up.statusCode ?? 502, up.statusMessage, headers);
  up.pipe(res);
}

export function subresourcesRouter(opts: SubresourceOptions): Router {
  const router = express.Router();
  guardPathParams(router);
  const proxy = httpProxy.createProxyServer({ changeOrigin: false, selfHandleResponse: true });
  proxy.on('proxyRes', relayAnswer);

  const invoke = async (req: Request, res: Response): Promise<void> => {
    const ns = String(req.params.ns);
    const name = String(req.params.name);
    const fail = (f: ProxyFailure): void => sendStatus(res, statusFailure(f.code, f.reason, f.message));
    if (!objectCanExist(ns, name)) {
      sendStatus(res, notFoundStatus('Function', name, GROUP, 'functions'));
      return;
    }
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
    // Credentials, identity and hop-by-hop headers stay here; event headers are filled in.
    const headers = functionRequestHeaders(req.headers, { now: new Date() });
    // Without a content type the body is read first: JSON goes on as JSON (lib/invoke/content-type.ts).
    let body: Buffer | undefined;
    if (needsContentType(req.headers)) {
      try {
        body = await readLimited(req, opts.bodyLimit);
      } catch {
        fail({
          code: 413,
          reason: 'RequestEntityTooLarge',
          message: `the request body is larger than the ${opts.bodyLimit}-byte limit; send a smaller body`,
        });
        return;
      }
      const type = sniffContentType(body);
      if (type) headers['content-type'] = type;
      delete headers['transfer-encoding'];
      headers['content-length'] = String(body.length);
    }
    targets.set(req, { namespace: ns, name });
    forward(proxy, req, res, {
      port: ep.port,
      url: `/${sub}${query}`,
      headers,
      body,
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
