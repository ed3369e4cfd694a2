// A minimal stand-in for kube-apiserver's front door, for what the local platform cannot show:
// HTTPS with client-certificate authentication and bearer tokens. It answers the function list
// (empty) and `Status` errors, and records what each request carried.
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface StandinOptions {
  tls: { cert: string; key: string; ca: string };
  /** Every request must carry `Authorization: Bearer <token>`. */
  token: string;
}

export interface RequestRecord {
  method: string;
  url: string;
  authorization?: string;
  clientCertCN?: string;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  send(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
}

export class StandinApi {
  readonly requests: RequestRecord[] = [];
  private readonly server: https.Server;
  url = '';

  constructor(private readonly opts: StandinOptions) {
    this.server = https.createServer(
      { ...opts.tls, requestCert: true, rejectUnauthorized: true },
      (req, res) => this.handle(req, res),
    );
    this.server.requestTimeout = 10_000;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    this.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      clientCertCN: typeof peer.subject?.CN === 'string' ? peer.subject.CN : undefined,
    });
    req.resume();
    if (req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return status(res, 401, 'Unauthorized', 'Unauthorized');
    }
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    if (req.method === 'GET' && /^\/apis\/kubeless\.io\/v1beta1\/namespaces\/[^/]+\/functions$/.test(path)) {
      return send(res, 200, {
        apiVersion: 'kubeless.io/v1beta1',
        kind: 'FunctionList',
        metadata: {},
        items: [],
      });
    }
    status(res, 404, 'NotFound', 'the server could not find the requested resource');
  }
}
