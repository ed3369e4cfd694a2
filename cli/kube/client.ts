import http, { type IncomingMessage, type IncomingHttpHeaders } from 'node:http';
import { CliError } from '../errors.js';
import { logger } from '../log.js';
import type { KubeTarget } from './config.js';
import { connectionErrorMessage, statusToMessage, type RequestContext } from './errors.js';
import { VERSION } from '../../lib/version.js';
import { warningsOf } from './warnings.js';

export interface KubeRequest {
  method: string;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: Buffer | string;
  headers?: Record<string, string>;
  /** Milliseconds until the request is abandoned; 0 for none (followed log streams). */
  timeoutMs?: number;
  ctx: RequestContext;
}

export interface KubeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Answers bigger than this are refused rather than buffered (function calls, object lists). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
const EARLY_ANSWER_GRACE_MS = 1000;

function bodyRefusedMessage(size: number, server: string): string {
  return (
    `the server at ${server} closed the connection while the ${size}-byte request body was being sent: ` +
    'it is probably larger than the server accepts (1 MiB by default for function calls); send less, or pass large data by URL'
  );
}

export function buildUrl(server: string, path: string, query?: KubeRequest['query']): URL {
  // The server may carry a path prefix (Rancher-style proxies), so append rather than resolve.
  const url = new URL(server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  return url;
}

function parseBody(res: KubeResponse): unknown {
  const text = res.body.toString('utf8');
  if (String(res.headers['content-type'] ?? '').includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** A thin HTTP client over the Kubernetes API of one kubeconfig context. */
export class KubeClient {
  constructor(
    readonly target: KubeTarget,
    private readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  get namespace(): string {
    return this.target.namespace;
  }

  /** Sends a request and returns the raw response, whatever its status. */
  async open(req: KubeRequest): Promise<IncomingMessage> {
    const url = buildUrl(this.target.server, req.path, req.query);
    const { agent, headers } = await this.target.connection();
    // node:https only when the server is https (see credentials.ts).
    const transport = url.protocol === 'https:' ? await import('node:https') : http;
    const timeoutMs = req.timeoutMs ?? this.defaultTimeoutMs;
    const started = Date.now();
    const log = logger.child({ namespace: req.ctx.namespace, name: req.ctx.name });
    return new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = transport.request(url, {
        method: req.method,
        agent,
        headers: {
          'User-Agent': `kubeless-cli/${VERSION}`,
          Accept: 'application/json, */*',
          ...headers,
          ...req.headers,
          ...(req.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(req.body)) } : {}),
        },
      });
      let timer: NodeJS.Timeout | undefined;
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          const err = Object.assign(new Error(`no answer within ${timeoutMs} ms`), {
            code: 'ERR_KUBELESS_TIMEOUT',
          });
          outgoing.destroy(err);
        }, timeoutMs);
      }
      outgoing.on('response', (res) => {
        for (const w of warningsOf(res.rawHeaders)) process.stderr.write(`Warning: ${w}\n`);
        log.debug(
          { method: req.method, path: url.pathname, status: res.statusCode, ms: Date.now() - started },
          'api response',
        );
        if (timer) {
          // The timeout also covers reading the body, so keep it until the body ends.
          res.once('end', () => clearTimeout(timer));
          res.once('close', () => clearTimeout(timer));
        }
        resolve(res);
      });
      let answered = false;
      outgoing.once('response', () => (answered = true));
      outgoing.on('error', (err) => {
        if (timer) clearTimeout(timer);
        log.debug({ method: req.method, path: url.pathname, err: err.message }, 'api request failed');
        const code = (err as NodeJS.ErrnoException).code;
        const size = req.body === undefined ? 0 : Buffer.byteLength(req.body);
        if (answered || size === 0 || (code !== 'EPIPE' && code !== 'ECONNRESET')) {
          reject(new CliError(connectionErrorMessage(err, this.target.server)));
          return;
        }
        // A server may refuse a large body (413) and close before reading all of it; its answer
        // can still be on the way, and it says more than the broken pipe does.
        const fallback = setTimeout(
          () => reject(new CliError(bodyRefusedMessage(size, this.target.server))),
          EARLY_ANSWER_GRACE_MS,
        );
        outgoing.once('response', () => clearTimeout(fallback));
      });
      if (req.body !== undefined) outgoing.write(req.body);
      outgoing.end();
    });
  }

  /** Sends a request and buffers the answer (up to MAX_RESPONSE_BYTES). */
  async request(req: KubeRequest): Promise<KubeResponse> {
    const res = await this.open(req);
    const chunks: Buffer[] = [];
    let size = 0;
    return new Promise<KubeResponse>((resolve, reject) => {
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          res.destroy();
          reject(
            new CliError(
              `the answer to ${req.method} ${req.path} exceeds ${MAX_RESPONSE_BYTES} bytes; refusing to buffer it`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', (err) => reject(new CliError(connectionErrorMessage(err, this.target.server))));
    });
  }

  /** JSON request; any 4xx/5xx becomes a CliError phrased from the returned `Status`. */
  async json<T>(req: Omit<KubeRequest, 'body'> & { body?: unknown }): Promise<T> {
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const contentType = req.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    const res = await this.request({
      ...req,
      body,
      headers: { ...(body !== undefined ? { 'Content-Type': contentType } : {}), ...req.headers },
    });
    const parsed = parseBody(res);
    if (res.status >= 400) throw this.apiError(res.status, parsed, req.ctx);
    return parsed as T;
  }

  apiError(status: number, body: unknown, ctx: RequestContext): CliError {
    return new CliError(statusToMessage(status, body, { contextName: this.target.contextName, ...ctx }));
  }

  parse(res: KubeResponse): unknown {
    return parseBody(res);
  }
}
