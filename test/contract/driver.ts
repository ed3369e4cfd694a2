// What the contract suite needs from a platform, and the one driver both platforms share: the
// local platform and the cluster serve the same Kubernetes-shaped API (Functions under
// kubeless.io, invoke and log under subresources.kubeless.io), so a driver is that API's base URL
// and how to reach it. Only the transport differs: plain HTTP to `kubeless local`, HTTPS with the
// admin's client certificate to kube-apiserver, which hands invoke and log to `kubeless api`
// through the APIService, as kubectl and client libraries do.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Condition } from '../../lib/types.js';

export type PlatformName = 'local' | 'real-node';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** Seconds from sending the request to the end of the answer. */
  seconds: number;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/** How to reach the platform's API: its base URL and, for HTTPS, the client's TLS material. */
export interface Transport {
  base: string;
  tls?: { ca: Buffer; cert: Buffer; key: Buffer };
}

export interface PlatformDriver {
  readonly name: PlatformName;
  readonly namespace: string;
  /** Creates the namespace where the platform has them; the local platform needs none. */
  prepare(): Promise<void>;
  /** Creates Functions (in parallel) from their specs. */
  create(functions: ReadonlyArray<{ name: string; spec: Record<string, unknown> }>): Promise<void>;
  /** The Function's Ready condition as stored, or undefined while it has none. */
  ready(name: string): Promise<Condition | undefined>;
  /** Invokes through the invoke subresource; `path` (with its query) is what the function sees. */
  invoke(name: string, path: string, options: CallOptions): Promise<Answer>;
  /** GETs the log subresource with `query` (e.g. `tailLines=50`). */
  log(name: string, query: string): Promise<Answer>;
}

export const FUNCTIONS_PATH = '/apis/kubeless.io/v1beta1/namespaces';
export const SUBRESOURCES_PATH = '/apis/subresources.kubeless.io/v1/namespaces';

/** One request to the platform's API; resolves whatever the status code. */
export function send(t: Transport, path: string, o: CallOptions = {}): Promise<Answer> {
  const url = new URL(path, t.base);
  const started = process.hrtime.bigint();
  const headers: Record<string, string> = { ...o.headers };
  if (o.body !== undefined) headers['content-length'] = String(Buffer.byteLength(o.body));
  return new Promise((resolve, reject) => {
    const options = { method: o.method ?? 'GET', headers, timeout: o.timeoutMs ?? 60_000, ...t.tls };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json, seconds });
      });
    });
    req.on('timeout', () =>
      req.destroy(new Error(`${options.method} ${path}: no answer in ${options.timeout} ms`)),
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

function readyOf(fn: unknown): Condition | undefined {
  const conditions = (fn as { status?: { conditions?: Condition[] } } | undefined)?.status?.conditions;
  return conditions?.find((c) => c.type === 'Ready');
}

/** The driver for a platform reached through `transport`; `namespaces` says whether to create one. */
export function apiDriver(
  name: PlatformName,
  transport: Transport,
  namespace: string,
  namespaces: boolean,
): PlatformDriver {
  const ok = async (what: string, a: Promise<Answer>, codes: number[]): Promise<Answer> => {
    const answer = await a;
    if (!codes.includes(answer.status)) {
      throw new Error(`${what} on ${name} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
    }
    return answer;
  };
  const json = { 'content-type': 'application/json' };
  const sub = (fn: string): string => `${SUBRESOURCES_PATH}/${namespace}/functions/${fn}`;
  return {
    name,
    namespace,
    async prepare() {
      if (!namespaces) return;
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      // 409: kept from an earlier run of a cluster kept up (KUBELESS_E2E_KEEP_REAL_NODE=1).
      await ok(
        `creating namespace ${namespace}`,
        send(transport, '/api/v1/namespaces', { method: 'POST', headers: json, body }),
        [201, 409],
      );
    },
    async create(functions) {
      await Promise.all(
        functions.map((f) =>
          ok(
            `creating Function ${namespace}/${f.name}`,
            send(transport, `${FUNCTIONS_PATH}/${namespace}/functions`, {
              method: 'POST',
              headers: json,
              body: JSON.stringify({
                apiVersion: 'kubeless.io/v1beta1',
                kind: 'Function',
                metadata: { name: f.name, namespace },
                spec: f.spec,
              }),
            }),
            [201],
          ),
        ),
      );
    },
    async ready(fn) {
      const a = await ok(
        `reading Function ${namespace}/${fn}`,
        send(transport, `${FUNCTIONS_PATH}/${namespace}/functions/${fn}`),
        [200],
      );
      return readyOf(a.json);
    },
    invoke(fn, path, options) {
      return send(transport, `${sub(fn)}/invoke${path}`, { method: 'POST', ...options });
    },
    log(fn, query) {
      return send(transport, `${sub(fn)}/log?${query}`);
    },
  };
}
