// A stand-in for the Kubernetes API of the local platform, used until `local/` exists: real
// HTTP(S) on 127.0.0.1, the paths and Status errors of kubeless.io/v1beta1 and
// subresources.kubeless.io/v1, and a backend that runs each Function in the real runtime server
// (test/integration/runtimes/harness.ts). It is deliberately small: no watch, no persistence.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Condition, FunctionObject, KubeEvent } from '../../../cli/kube/types.js';
import { FunctionProcess, RUNTIMES } from './standin-runner.js';

const BODY_LIMIT = 4 * 1024 * 1024;

interface Entry {
  fn: FunctionObject;
  proc: FunctionProcess;
}

export interface StandinOptions {
  tls?: { cert: string; key: string; ca: string };
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
}

export interface RequestRecord {
  method: string;
  url: string;
  authorization?: string;
  clientCertCN?: string;
}

function status(res: ServerResponse, code: number, reason: string, message: string, details?: object): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(
    JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details }),
  );
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function validate(fn: FunctionObject): { field: string; message: string }[] {
  const causes: { field: string; message: string }[] = [];
  if (!fn.spec?.handler) causes.push({ field: 'spec.handler', message: 'Required value' });
  if (!fn.spec?.runtime || !RUNTIMES[fn.spec.runtime]) {
    causes.push({
      field: 'spec.runtime',
      message: `Unsupported value: "${fn.spec?.runtime ?? ''}": supported values: ${Object.keys(RUNTIMES).join(', ')}`,
    });
  }
  return causes;
}

export class StandinApi {
  readonly requests: RequestRecord[] = [];
  readonly events = new Map<string, KubeEvent[]>();
  private readonly store = new Map<string, Entry>();
  private readonly server: http.Server;
  private readonly followers = new Set<ServerResponse>();
  private rv = 1;
  private readonly pending = new Set<Promise<void>>();
  url = '';

  constructor(private readonly opts: StandinOptions = {}) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((err: unknown) => status(res, 500, 'InternalError', String(err)));
    };
    this.server = opts.tls
      ? https.createServer({ ...opts.tls, requestCert: true, rejectUnauthorized: true }, handler)
      : http.createServer(handler);
    this.server.requestTimeout = 60_000;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.followers) res.end();
    await Promise.all([...this.pending]);
    await Promise.all([...this.store.values()].map((e) => e.proc.stop()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get(namespace: string, name: string): FunctionObject | undefined {
    return this.store.get(`${namespace}/${name}`)?.fn;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const peer = (
      req.socket as { getPeerCertificate?: () => { subject?: { CN?: string } } }
    ).getPeerCertificate?.();
    this.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      clientCertCN: peer?.subject?.CN,
    });
    if (this.opts.token && req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return status(res, 401, 'Unauthorized', 'Unauthorized');
    }
    const p = url.pathname;
    if (p === '/version')
      return sendJson(res, 200, { gitVersion: 'v0.0.0-standin', platform: 'linux/amd64' });
    let m = /^\/api\/v1\/namespaces\/([^/]+)\/events$/.exec(p);
    if (m) return sendJson(res, 200, { kind: 'EventList', items: this.events.get(m[1]!) ?? [] });
    if (p === '/apis/kubeless.io/v1beta1/functions') return this.list(res, undefined);
    m = /^\/apis\/kubeless\.io\/v1beta1\/namespaces\/([^/]+)\/functions(?:\/([^/]+))?$/.exec(p);
    if (m)
      return this.crud(req, res, url, decodeURIComponent(m[1]!), m[2] ? decodeURIComponent(m[2]) : undefined);
    m =
      /^\/apis\/subresources\.kubeless\.io\/v1\/namespaces\/([^/]+)\/functions\/([^/]+)\/(invoke|log)(\/.*)?$/.exec(
        p,
      );
    if (m) {
      const entry = this.store.get(`${m[1]}/${m[2]}`);
      if (!entry)
        return status(res, 404, 'NotFound', `functions.kubeless.io "${m[2]}" not found`, { name: m[2] });
      return m[3] === 'log' ? this.log(req, res, url, entry) : this.invoke(req, res, url, entry, m[4] ?? '/');
    }
    return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  }

  private list(res: ServerResponse, namespace: string | undefined): void {
    const items = [...this.store.values()]
      .map((e) => e.fn)
      .filter((fn) => !namespace || fn.metadata.namespace === namespace);
    sendJson(res, 200, {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'FunctionList',
      metadata: { resourceVersion: String(this.rv) },
      items,
    });
  }

  private async crud(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    ns: string,
    name?: string,
  ): Promise<void> {
    const key = `${ns}/${name}`;
    const entry = name ? this.store.get(key) : undefined;
    const notFound = (): void =>
      status(res, 404, 'NotFound', `functions.kubeless.io "${name}" not found`, {
        name,
        group: 'kubeless.io',
        kind: 'functions',
      });
    const dryRun = url.searchParams.get('dryRun') === 'All';
    if (req.method === 'GET') {
      if (!name) return this.list(res, ns);
      return entry ? sendJson(res, 200, entry.fn) : notFound();
    }
    if (req.method === 'DELETE') {
      if (!entry) return notFound();
      this.store.delete(key);
      await entry.proc.stop();
      return sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name } });
    }
    const body = JSON.parse((await readBody(req)).toString('utf8')) as FunctionObject;
    const causes = validate(body);
    const fnName = name ?? body.metadata?.name ?? '';
    if (causes.length > 0) {
      return status(res, 422, 'Invalid', `Function.kubeless.io "${fnName}" is invalid`, {
        name: fnName,
        group: 'kubeless.io',
        kind: 'Function',
        causes: causes.map((c) => ({ ...c, reason: 'FieldValueInvalid' })),
      });
    }
    if (req.method === 'POST' && !name) {
      if (this.store.has(`${ns}/${fnName}`)) {
        return status(res, 409, 'AlreadyExists', `functions.kubeless.io "${fnName}" already exists`, {
          name: fnName,
        });
      }
      const fn: FunctionObject = {
        ...body,
        metadata: {
          ...body.metadata,
          namespace: ns,
          uid: randomUUID(),
          generation: 1,
          creationTimestamp: new Date().toISOString(),
          resourceVersion: String(++this.rv),
        },
        spec: { timeout: '180', ...body.spec },
        status: { observedGeneration: 0, conditions: [] },
      };
      if (dryRun) return sendJson(res, 201, fn);
      const created: Entry = { fn, proc: new FunctionProcess() };
      this.store.set(`${ns}/${fnName}`, created);
      sendJson(res, 201, fn);
      this.track(this.reconcile(created));
      return;
    }
    if (req.method === 'PUT' && entry) {
      if (body.metadata?.resourceVersion !== entry.fn.metadata.resourceVersion) {
        return status(
          res,
          409,
          'Conflict',
          `Operation cannot be fulfilled on functions.kubeless.io "${name}": the object has been modified`,
        );
      }
      const fn: FunctionObject = {
        ...body,
        metadata: {
          ...entry.fn.metadata,
          labels: body.metadata.labels,
          resourceVersion: String(++this.rv),
          generation: (entry.fn.metadata.generation ?? 1) + 1,
        },
        status: entry.fn.status,
      };
      if (dryRun) return sendJson(res, 200, fn);
      entry.fn = fn;
      sendJson(res, 200, fn);
      this.track(this.reconcile(entry));
      return;
    }
    return entry ? status(res, 405, 'MethodNotAllowed', `${req.method} is not supported`) : notFound();
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private setReady(entry: Entry, cond: Omit<Condition, 'type'>): void {
    entry.fn = {
      ...entry.fn,
      metadata: { ...entry.fn.metadata, resourceVersion: String(++this.rv) },
      status: {
        observedGeneration: entry.fn.metadata.generation,
        conditions: [{ type: 'Ready', lastTransitionTime: new Date().toISOString(), ...cond }],
      },
    };
  }

  /** Runs the Function in a real runtime process and mirrors the outcome in its status. */
  private async reconcile(entry: Entry): Promise<void> {
    const generation = entry.fn.metadata.generation;
    this.setReady(entry, { status: 'Unknown', reason: 'Starting', message: 'starting the runtime' });
    const outcome = await entry.proc.start(entry.fn.spec);
    const key = `${entry.fn.metadata.namespace}/${entry.fn.metadata.name}`;
    if (this.store.get(key) !== entry || entry.fn.metadata.generation !== generation) {
      // Deleted or changed while starting: a newer reconcile (or none) owns the function now.
      if (this.store.get(key) !== entry) await entry.proc.stop();
      return;
    }
    if (outcome.ok) {
      this.setReady(entry, { status: 'True', reason: 'Running', message: outcome.message });
      return;
    }
    this.setReady(entry, { status: 'False', reason: 'LoadError', message: outcome.message });
    const ns = entry.fn.metadata.namespace ?? 'default';
    this.events.set(ns, [
      ...(this.events.get(ns) ?? []),
      {
        type: 'Warning',
        reason: 'LoadFailed',
        message: outcome.message,
        count: 1,
        lastTimestamp: new Date().toISOString(),
        source: { component: 'standin' },
        metadata: { name: `${entry.fn.metadata.name}.1` },
      },
    ]);
  }

  private async invoke(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    entry: Entry,
    subPath: string,
  ): Promise<void> {
    const target = entry.proc.url;
    if (!target)
      return status(res, 503, 'ServiceUnavailable', `function "${entry.fn.metadata.name}" is not ready`);
    const body = await readBody(req);
    const headers = { ...req.headers };
    delete headers.authorization;
    delete headers.host;
    const upstream = http.request(
      `${target}${subPath}${url.search}`,
      { method: req.method, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => status(res, 502, 'BadGateway', String(err)));
    upstream.end(body);
  }

  private log(req: IncomingMessage, res: ServerResponse, url: URL, entry: Entry): void {
    const tail = url.searchParams.get('tailLines');
    const all = entry.proc.lines;
    const n = tail === null ? all.length : Number(tail);
    const lines = n > 0 ? all.slice(-n) : [];
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.write(lines.join(''));
    if (url.searchParams.get('follow') !== 'true') {
      res.end();
      return;
    }
    const unsubscribe = entry.proc.onOutput((text) => res.write(text));
    this.followers.add(res);
    req.on('close', () => {
      unsubscribe();
      this.followers.delete(res);
    });
  }
}
