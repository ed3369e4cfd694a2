import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

// The operations port every long-running component serves to kubelet probes and Prometheus.

export interface HealthSource {
  /** Process is alive and its loops are turning. */
  healthy(): boolean;
  /** Ready for work (e.g. caches synced); components without such a phase answer as healthy(). */
  ready(): boolean;
}

/** `/healthz`, `/readyz` and `/metrics`; GET only, no request bodies are read, short timeouts. */
export function opsServer(health: HealthSource, registry: Registry): Server {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end('only GET is served here\n');
      return;
    }
    if (path === '/healthz' || path === '/readyz') {
      const ok = path === '/healthz' ? health.healthy() : health.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'not ready\n');
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('try /healthz, /readyz or /metrics\n');
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 50;
  return server;
}
