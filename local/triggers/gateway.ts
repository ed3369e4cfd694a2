// The local stand-in for an Ingress controller: a second port on which each HTTPTrigger's host
// and path reach its function's runtime process. The request goes through unchanged (full path,
// method, headers, plus X-Forwarded-*), as through an Ingress without rewrite rules, and so does
// the answer; the runtime adds the event fields. Same proxy as invoke (lib/invoke), ingress mode.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { FunctionConnections } from '../../lib/invoke/connections.js';
import { createInvokeProxy } from '../../lib/invoke/proxy.js';
import { statusFailure, type Status } from '../../lib/k8s/status.js';
import type { FunctionBackend } from '../api/subresources.js';
import { processResolver, routeResolver } from '../api/resolver.js';
import { matchRoute, noRouteMessage, type Route } from './routes.js';

export interface GatewayOptions {
  routes: () => readonly Route[];
  backend: FunctionBackend;
  connections: FunctionConnections;
  logger: Logger;
  bodyLimit: number;
  /** How long a request waits for a function that is still starting before answering 503. */
  startWaitMs: number;
}

/** Errors are plain text: the caller is a browser or curl, not a Kubernetes client. */
function answer(res: ServerResponse, s: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${s.message ?? s.reason ?? 'error'}\n`;
  res.writeHead(s.code, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-kubeless-gateway': String(s.reason ?? ''),
  });
  res.end(body);
}

export function createGateway(opts: GatewayOptions): Server {
  const proxy = createInvokeProxy({
    resolver: routeResolver(processResolver(opts.backend, opts.startWaitMs)),
    connections: opts.connections,
    mode: 'ingress',
    bodyLimitBytes: opts.bodyLimit,
    // An Ingress in front of a function gives up when the function would: at its timeout (one
    // second later, so that the runtime's own 408 reaches the caller first).
    deadlineMarginSeconds: 1,
    logger: opts.logger.child({ component: 'gateway' }),
    sendFailure: answer,
  });
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const routes = opts.routes();
    const route = matchRoute(routes, req.headers.host, url);
    if (!route) {
      const body = `${noRouteMessage(routes, req.headers.host, url)}\n`;
      res.writeHead(404, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'x-kubeless-gateway': 'NotFound',
      });
      res.end(body);
      return;
    }
    proxy
      .handle(req, res, { namespace: route.namespace, name: route.functionName, path: url })
      .catch((err: Error) => {
        opts.logger.error({ err: err.message, url }, 'gateway request failed');
        answer(res, statusFailure(500, 'InternalError', `the gateway failed: ${err.message}`));
      });
  });
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  return server;
}
