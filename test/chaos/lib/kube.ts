// A small HTTPS client for the real-node cluster's kube-apiserver (admin client certificate):
// the chaos scenarios make hundreds of calls and writes, and a kubectl process per call would cost
// more CPU than the cluster itself on this machine. Every outcome is returned, never thrown, so a
// scenario can count what a client saw.
import { Agent, request } from 'node:https';
import { adminTls, realNodeInfo } from '../../e2e/helpers/real-node.js';

export interface Answer {
  /** HTTP status; 0 when no answer came (see `error`). */
  status: number;
  body: string;
  /** Transport error code (ECONNREFUSED, ECONNRESET, TIMEOUT ...) when no answer came. */
  error?: string;
  /** Whether the request was fully sent before the error (an unknown outcome for a write). */
  sent: boolean;
  startedAt: number;
  endedAt: number;
}

export interface RequestOptions {
  body?: string;
  contentType?: string;
  timeoutMs?: number;
}

let shared: { agent: Agent; server: string } | undefined;

function client(): { agent: Agent; server: string } {
  shared ??= {
    agent: new Agent({ ...adminTls(), keepAlive: true, maxSockets: 16 }),
    server: realNodeInfo().server,
  };
  return shared;
}

/** Closes the kept-alive connections (call at the end of a suite). */
export function closeClient(): void {
  shared?.agent.destroy();
  shared = undefined;
}

export function kubeRequest(method: string, path: string, opts: RequestOptions = {}): Promise<Answer> {
  const { agent, server } = client();
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let sent = false;
    let done = false;
    const finish = (a: Omit<Answer, 'startedAt' | 'endedAt' | 'sent'>) => {
      if (done) return;
      done = true;
      resolve({ ...a, sent, startedAt, endedAt: Date.now() });
    };
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const req = request(`${server}${path}`, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => finish({ status: res.statusCode ?? 0, body: text }));
      res.on('error', (err: NodeJS.ErrnoException) =>
        finish({ status: 0, body: text, error: err.code ?? err.message }),
      );
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => {
      finish({ status: 0, body: '', error: 'TIMEOUT' });
      req.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish({ status: 0, body: '', error: err.code ?? err.message }),
    );
    req.on('finish', () => (sent = true));
    req.end(opts.body);
  });
}

/** GETs a JSON object; rejects with the answer when it is not a 200 (for set-up and checks, not for counting). */
export async function getJson<T>(path: string): Promise<T> {
  const a = await kubeRequest('GET', path);
  if (a.status !== 200) throw new Error(`GET ${path}: ${a.status || a.error} ${a.body.slice(0, 300)}`);
  return JSON.parse(a.body) as T;
}

/** A Kubernetes Status object's message, when the body is one. */
export function statusMessage(body: string): string | undefined {
  try {
    const s = JSON.parse(body) as { kind?: string; message?: unknown };
    return s.kind === 'Status' && typeof s.message === 'string' && s.message !== '' ? s.message : undefined;
  } catch {
    return undefined;
  }
}
