// The local stand-in for an Ingress controller: a second port on which each HTTPTrigger's host
// and path reach its function's runtime process. The request goes through unchanged (full path,
// method, headers), as through an Ingress without rewrite rules; the runtime adds the event fields.
import { createServer, type Server, type ServerResponse } from 'node:http';
import httpProxy from 'http-proxy';
import type { Logger } from 'pino';
import type { FunctionBackend } from '../api/subresources.js';
import {
  declaredTooLarge,
  forward,
  notReadyFailure,
  waitForEndpoint,
  type ProxyFailure,
} from '../api/proxy.js';
import { matchRoute, noRouteMessage, type Route } from './routes.js';

export interface GatewayOptions {
  routes: () => readonly Route[];
  backend: FunctionBackend;
  logger: Logger;
  bodyLimit: number;
  /** How long a request waits for a function that is still starting before answering 503. */
  startWaitMs: number;
}

/** Errors are plain text: the caller is a browser or curl, not a Kubernetes client. */
function answer(res: ServerResponse, f: ProxyFailure): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${f.message}\n`;
  res.writeHead(f.code, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-kubeless-gateway': f.reason,
  });
  res.end(body);
}

export function createGateway(opts: GatewayOptions): Server {
  const proxy = httpProxy.createProxyServer({ changeOrigin: false });
  // Without a listener, an error after the answer started would crash the process.
  proxy.on('error', () => undefined);
  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      const routes = opts.routes();
      const route = matchRoute(routes, req.headers.host, url);
      if (!route) {
        answer(res, {
          code: 404,
          reason: 'NotFound',
          message: noRouteMessage(routes, req.headers.host, url),
        });
        return;
      }
      const tooLarge = declaredTooLarge(req, opts.bodyLimit);
      if (tooLarge) {
        answer(res, tooLarge);
        return;
      }
      const { namespace: ns, functionName: name } = route;
      const ep = await waitForEndpoint(() => opts.backend.endpoint(ns, name), opts.startWaitMs);
      if (ep.state !== 'ready') {
        answer(res, notReadyFailure(ep, ns, name, opts.startWaitMs));
        return;
      }
      forward(proxy, req, res, {
        port: ep.port,
        url,
        // All of the caller's headers, as an ingress controller passes them.
        headers: undefined,
        bodyLimit: opts.bodyLimit,
        // An Ingress in front of a function gives up when the function would: at its timeout
        // (one second later, so that the runtime's own 408 reaches the caller first).
        timeoutMs: ep.timeoutSeconds * 1000 + 1000,
        label: `function ${ns}/${name} (HTTPTrigger ${route.trigger})`,
        forwarded: true,
        logger: opts.logger,
        fail: (f) => answer(res, f),
      });
    })().catch((err: Error) => {
      opts.logger.error({ error: err.message, url: req.url }, 'gateway request failed');
      answer(res, { code: 500, reason: 'InternalError', message: `the gateway failed: ${err.message}` });
    });
  });
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  return server;
}
