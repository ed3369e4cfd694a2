import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { WebhookMetrics } from './metrics.js';

export interface ServingPair {
  tlsCert: string;
  tlsKey: string;
}

export interface HttpsHandle {
  server: https.Server;
  port: number;
  /** Swaps the certificate for new connections; established ones finish on the old one. */
  setCertificate(pair: ServingPair): void;
  close(): Promise<void>;
}

export interface ListenOptions {
  host: string;
  port: number;
  pair: ServingPair;
  metrics: WebhookMetrics;
  /** Whole-request budget; kube-apiserver gives up after timeoutSeconds (≤ 30) anyway. */
  requestTimeoutMs: number;
}

function expirySeconds(pem: string): number {
  return Math.floor(new Date(new X509Certificate(pem).validTo).getTime() / 1000);
}

export function listenHttps(app: Express, opts: ListenOptions): Promise<HttpsHandle> {
  const server = https.createServer(
    {
      cert: opts.pair.tlsCert,
      key: opts.pair.tlsKey,
      minVersion: 'TLSv1.2',
      requestTimeout: opts.requestTimeoutMs,
      headersTimeout: Math.min(opts.requestTimeoutMs, 10_000),
      // kube-apiserver keeps connections to webhooks open; closing them early costs a handshake each.
      keepAliveTimeout: 30_000,
    },
    app,
  );
  server.setTimeout(60_000);
  opts.metrics.certExpiry.set(expirySeconds(opts.pair.tlsCert));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        setCertificate(pair) {
          server.setSecureContext({ cert: pair.tlsCert, key: pair.tlsKey, minVersion: 'TLSv1.2' });
          opts.metrics.certExpiry.set(expirySeconds(pair.tlsCert));
          opts.metrics.certReloads.inc();
        },
        close: () =>
          new Promise<void>((res) => {
            server.close(() => res());
            server.closeAllConnections();
          }),
      });
    });
  });
}
