// The operations endpoints, answered the same way by every server component: `/healthz` and
// `/livez` (the process is alive), `/readyz` (it should get traffic), `/metrics` (Prometheus).
// `serveOps` answers them inside a component's own server (api, webhook, local); `opsServer` is
// a port of their own for the components that serve nothing else (controller, kafka-trigger).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthSource {
  /** Process is alive and its loops are turning. */
  healthy(): boolean;
  /** Ready for work (e.g. caches synced); true, or false or the reason why not. */
  ready(): boolean | string;
}

const ALWAYS: HealthSource = { healthy: () => true, ready: () => true };
const PATHS = new Set(['/healthz', '/livez', '/readyz', '/metrics']);

export interface OpsOptions {
  health?: HealthSource;
  /** Without one, `/metrics` is not an ops path (the caller's own routes answer it). */
  registry?: Registry;
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(`${body}\n`);
}

/**
 * Answers `req` when it asks for an ops endpoint and returns true; returns false (nothing written)
 * for any other path. GET and HEAD only; no request body is read.
 */
export function serveOps(req: IncomingMessage, res: ServerResponse, opts: OpsOptions = {}): boolean {
  const path = (req.url ?? '/').split('?')[0]!;
  if (!PATHS.has(path) || (path === '/metrics' && !opts.registry)) return false;
  const health = opts.health ?? ALWAYS;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    text(res, 405, `only GET is served on ${path}`, { allow: 'GET, HEAD' });
  } else if (path === '/metrics') {
    opts.registry!.metrics().then(
      (body) => res.writeHead(200, { 'content-type': opts.registry!.contentType }).end(body),
      (err: unknown) => text(res, 500, `metrics failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  } else if (path === '/readyz') {
    const ready = health.ready();
    if (ready === true) text(res, 200, 'ok');
    else text(res, 503, typeof ready === 'string' ? `not ready: ${ready}` : 'not ready');
  } else {
    const alive = health.healthy();
    text(res, alive ? 200 : 503, alive ? 'ok' : 'not healthy');
  }
  return true;
}

/** A server of its own for `/healthz`, `/livez`, `/readyz` and `/metrics`; short timeouts. */
export function opsServer(health: HealthSource, registry: Registry): Server {
  const server = createServer((req, res) => {
    if (!serveOps(req, res, { health, registry }))
      text(res, 404, 'try /healthz, /livez, /readyz or /metrics');
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 50;
  return server;
}
