// Test helpers: certificates from lib/certs and an HTTPS client that trusts only the generated CA.
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { createCa, createServingCert, type CertMaterial } from '../../../lib/certs/index.js';

export function issue(hosts = ['127.0.0.1', 'localhost'], lifetimeMs = 3_600_000): CertMaterial {
  const now = new Date();
  const ca = createCa({ commonName: 'it-ca', notBefore: now, lifetimeMs });
  const s = createServingCert({ ca, commonName: 'it', hosts, notBefore: now, lifetimeMs });
  return { tlsCert: s.cert, tlsKey: s.key, caBundle: ca.cert, caCert: ca.cert, caKey: ca.key };
}

export interface Reply {
  status: number;
  body: string;
  json(): unknown;
  peerFingerprint: string;
}

export function request(
  port: number,
  path: string,
  opts: {
    ca: string;
    agent?: https.Agent;
    method?: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
  },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
        ca: opts.ca,
        agent: opts.agent ?? false,
        headers: { 'content-type': 'application/json', ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        const peer = (res.socket as TLSSocket).getPeerX509Certificate?.();
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            body,
            json: () => JSON.parse(body) as unknown,
            peerFingerprint: peer?.fingerprint256 ?? '',
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export function admissionReview(request: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request });
}

export const validSpec = {
  runtime: 'nodejs22',
  handler: 'hello.handler',
  function: "module.exports.handler = () => 'hi';\n",
  deps: '',
};

export function functionRequest(
  uid: string,
  spec: Record<string, unknown>,
  over: Record<string, unknown> = {},
) {
  return {
    uid,
    kind: { group: 'kubeless.io', version: 'v1beta1', kind: 'Function' },
    resource: { group: 'kubeless.io', version: 'v1beta1', resource: 'functions' },
    operation: 'CREATE',
    namespace: 'it',
    name: 'hello',
    object: {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'Function',
      metadata: { name: 'hello', namespace: 'it' },
      spec,
    },
    dryRun: false,
    ...over,
  };
}
