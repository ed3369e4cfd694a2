// The HTTPS aggregated API server: authenticate (front proxy), authorise (SubjectAccessReview),
// then discovery, OpenAPI, invoke (streamed proxy) and log (merged pod logs).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { statusFailure, type Status, isStatus } from '../lib/k8s/status.js';
import { ByteCap } from '../lib/stream/byte-cap.js';
import { authenticate, type FrontProxyConfig } from './authn.js';
import { CachedAuthorizer, forbiddenMessage, reviewSpec } from './authz.js';
import { apiGroup, apiGroupList, apiResourceList, type OpenApiDocs } from './discovery.js';
import { functionRequestHeaders, type HeaderRules } from './headers.js';
import type { Cluster } from './kube.js';
import { cachedLookups, type LookupCacheOptions } from './lookups.js';
import { ByteLimit, LinePrefixer, logPrefix, parseLogQuery } from './logs.js';
import {
  isPublicPath,
  parseSubresourcePath,
  resourceAttributes,
  SUBRESOURCE_GROUP,
  SUBRESOURCE_PREFIX,
  type SubresourceRequest,
} from './request.js';
import { functionNotFound, invokeTimeoutSeconds, proxyFailureStatus } from './status-map.js';
import { needsContentType, sniffContentType } from '../lib/invoke/content-type.js';
import { readLimited } from '../lib/invoke/read.js';
import { isRuntimeError, runtimeErrorStatus, RUNTIME_ERROR_MAX_BYTES } from '../lib/invoke/runtime-error.js';

export type ServiceAddressMode = 'dns' | 'cluster-ip' | 'endpoints';

export interface ApiServerOptions {
  cert: string;
  key: string;
  frontProxy: FrontProxyConfig;
  cluster: Cluster;
  openapi: OpenApiDocs;
  logger: Logger;
  serviceAddress: ServiceAddressMode;
  functionPort: number;
  bodyLimitBytes: number;
  timeoutMarginSeconds: number;
  authzCache: { allowedTtlMs: number; deniedTtlMs: number; maxEntries: number };
  /** Defaults to DEFAULT_LOOKUP_CACHE (a Function for 2 s, a Service address for 1 s). */
  lookupCache?: LookupCacheOptions;
}

export interface ApiServer {
  server: Server;
  registry: Registry;
  /** Swap the front-proxy CA and names (a rotation) without dropping connections. */
  setFrontProxy(config: FrontProxyConfig): void;
  /** Swap the serving certificate (a renewed Secret) for new handshakes; open connections keep theirs. */
  setServingCert(cert: string, key: string): void;
  close(): Promise<void>;
}

function sendStatus(res: ServerResponse, s: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(s);
  res.writeHead(s.code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function createApiServer(o: ApiServerOptions): ApiServer {
  let frontProxy = o.frontProxy;
  let serving = { cert: o.cert, key: o.key };
  const headerRules: HeaderRules = {
    identityPrefixes: [
      ...o.frontProxy.usernameHeaders,
      ...o.frontProxy.groupHeaders,
      ...o.frontProxy.extraHeaderPrefixes,
    ],
  };
  const authorizer = new CachedAuthorizer((spec) => o.cluster.review(spec), o.authzCache);
  const lookups = cachedLookups(o.cluster, o.lookupCache);
  // A connection per call, not Node's keep-alive default: a kept socket stays pinned to one pod
  // through kube-proxy, and when that pod drains it closes the socket just as the next call is
  // written on it (ECONNRESET, a lost call during every rollout on the real-node e2e).
  const functionAgent = new HttpAgent({ keepAlive: false });
  const registry = new Registry();
  const calls = new Counter({
    name: 'kubeless_api_invocations_total',
    help: 'Invocations through functions/invoke, by HTTP status code',
    labelNames: ['code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'kubeless_api_invoke_duration_seconds',
    help: 'Time from request to the end of the function response, seconds',
    labelNames: ['code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  let ready = true;

  async function target(ns: string, name: string): Promise<{ host: string; port: number } | undefined> {
    if (o.serviceAddress === 'endpoints') return lookups.serviceEndpoint(ns, name);
    if (o.serviceAddress === 'cluster-ip') {
      const ip = await lookups.serviceClusterIP(ns, name);
      return ip ? { host: ip, port: o.functionPort } : undefined;
    }
    return { host: `${name}.${ns}.svc`, port: o.functionPort };
  }

  async function invoke(
    req: IncomingMessage,
    res: ServerResponse,
    sr: SubresourceRequest,
    search: string,
  ): Promise<void> {
    const started = process.hrtime.bigint();
    const log = o.logger.child({ namespace: sr.namespace, name: sr.name, subresource: 'invoke' });
    const finish = (code: number): void => {
      calls.inc({ code: String(code) });
      duration.observe({ code: String(code) }, Number(process.hrtime.bigint() - started) / 1e9);
    };
    const fail = (s: Status): void => {
      finish(s.code);
      log.info({ code: s.code, reason: s.reason }, s.message);
      sendStatus(res, s);
    };
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > o.bodyLimitBytes) {
      req.resume();
      return fail(
        proxyFailureStatus({
          code: 'TOO_LARGE',
          namespace: sr.namespace,
          name: sr.name,
          limitBytes: o.bodyLimitBytes,
        }),
      );
    }
    const fn = await lookups.getFunction(sr.namespace, sr.name);
    if (!fn) return fail(functionNotFound(sr.namespace, sr.name));
    const to = await target(sr.namespace, sr.name);
    if (!to) {
      return fail(proxyFailureStatus({ code: 'NO_ENDPOINTS', namespace: sr.namespace, name: sr.name }));
    }
    const timeoutSeconds = invokeTimeoutSeconds(fn.timeout, o.timeoutMarginSeconds);
    const headers = functionRequestHeaders(req.headers, { now: new Date() }, headerRules);
    // Without a content type the body is read first: JSON goes on as JSON (lib/invoke/content-type.ts).
    let body: Buffer | undefined;
    if (needsContentType(req.headers)) {
      try {
        body = await readLimited(req, o.bodyLimitBytes);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return fail(
          proxyFailureStatus({ code, namespace: sr.namespace, name: sr.name, limitBytes: o.bodyLimitBytes }),
        );
      }
      const type = sniffContentType(body);
      if (type) headers['content-type'] = type;
      delete headers['transfer-encoding'];
      headers['content-length'] = String(body.length);
    }
    const upstream = httpRequest({
      agent: functionAgent,
      host: to.host,
      port: to.port,
      method: req.method,
      path: `${sr.path}${search}`,
      headers,
    });
    let done = false;
    const timer = setTimeout(
      () => upstream.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
      timeoutSeconds * 1000,
    );
    const onError = (err: NodeJS.ErrnoException): void => {
      if (done) return;
      done = true;
      // The address may belong to a pod that is gone: resolve afresh on the next call.
      if (err.code !== 'TOO_LARGE' && err.code !== 'TIMEOUT') lookups.forgetService(sr.namespace, sr.name);
      clearTimeout(timer);
      upstream.destroy();
      fail(
        proxyFailureStatus({
          code: err.code,
          namespace: sr.namespace,
          name: sr.name,
          timeoutSeconds,
          limitBytes: o.bodyLimitBytes,
        }),
      );
    };
    upstream.on('error', onError);
    upstream.on('response', (up) => {
      if (isRuntimeError(up.headers)) {
        // The runtime's own error answer (timeout, exception, body too large): a Status for kubectl.
        readLimited(up, RUNTIME_ERROR_MAX_BYTES).then(
          (answer) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            fail(runtimeErrorStatus(up.statusCode ?? 502, answer, sr.namespace, sr.name));
          },
          (err: NodeJS.ErrnoException) => onError(err),
        );
        return;
      }
      const answer = { ...up.headers };
      delete answer.connection;
      delete answer['keep-alive'];
      delete answer['transfer-encoding'];
      res.writeHead(up.statusCode ?? 502, answer);
      up.pipe(res);
      up.on('end', () => {
        done = true;
        clearTimeout(timer);
        finish(up.statusCode ?? 502);
      });
      up.on('error', onError);
    });
    res.on('close', () => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        upstream.destroy();
      }
    });
    if (body) {
      upstream.end(body);
      return;
    }
    const limiter = new ByteCap(o.bodyLimitBytes, () =>
      Object.assign(new Error('body too large'), { code: 'TOO_LARGE' }),
    );
    limiter.on('error', (err: NodeJS.ErrnoException) => {
      req.resume();
      onError(err);
    });
    req.pipe(limiter).pipe(upstream);
  }

  async function logs(
    req: IncomingMessage,
    res: ServerResponse,
    sr: SubresourceRequest,
    params: URLSearchParams,
  ): Promise<void> {
    if (req.method !== 'GET') {
      return sendStatus(
        res,
        statusFailure(405, 'MethodNotAllowed', `functions/${sr.subresource} answers GET only`),
      );
    }
    const q = parseLogQuery(params);
    if (isStatus(q)) return sendStatus(res, q);
    if (!(await lookups.getFunction(sr.namespace, sr.name)))
      return sendStatus(res, functionNotFound(sr.namespace, sr.name));
    const pods = await o.cluster.functionPods(sr.namespace, sr.name);
    const streams = pods.flatMap((p) =>
      p.containers
        .filter((c) => !q.container || c === q.container)
        .map((c) => ({ pod: p.pod, container: c })),
    );
    if (streams.length === 0) {
      return sendStatus(
        res,
        statusFailure(
          404,
          'NotFound',
          `function ${sr.namespace}/${sr.name} has no pods (label function=${sr.name}); is it deployed?`,
        ),
      );
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
    const sink = q.limitBytes === undefined ? undefined : new ByteLimit(q.limitBytes);
    if (sink) sink.pipe(res);
    const out = sink ?? res;
    const aborts: AbortController[] = [];
    let open = streams.length;
    res.on('close', () => aborts.forEach((a) => a.abort()));
    const ended = (): void => {
      open -= 1;
      if (open === 0) out.end();
    };
    for (const s of streams) {
      const prefixer = new LinePrefixer(logPrefix(s.pod, s.container));
      prefixer.on('data', (chunk: Buffer) => out.write(chunk));
      prefixer.on('end', ended);
      try {
        aborts.push(await o.cluster.podLog(sr.namespace, s, q, prefixer));
      } catch (err) {
        o.logger.warn({ namespace: sr.namespace, name: sr.name, pod: s.pod, err }, 'reading pod log failed');
        prefixer.end(`(log unavailable: ${(err as Error).message})`);
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://api.invalid');
    const p = url.pathname;
    if (p === '/healthz' || p === '/livez') return void res.end('ok');
    if (p === '/readyz') {
      res.statusCode = ready ? 200 : 503;
      return void res.end(ready ? 'ok' : 'shutting down');
    }
    if (p === '/metrics') {
      res.setHeader('content-type', registry.contentType);
      return void res.end(await registry.metrics());
    }
    const auth = authenticate(req, frontProxy);
    if (!auth.ok) return sendStatus(res, statusFailure(401, 'Unauthorized', auth.message));
    if (isPublicPath(p)) {
      if (p === '/apis') return sendJson(res, apiGroupList());
      if (p === `/apis/${SUBRESOURCE_GROUP}`) return sendJson(res, apiGroup());
      if (p === SUBRESOURCE_PREFIX) return sendJson(res, apiResourceList());
      if (p === '/openapi/v2') return sendJson(res, o.openapi.v2);
      if (p === '/openapi/v3') {
        return sendJson(res, {
          paths: {
            [`apis/${SUBRESOURCE_GROUP}/v1`]: {
              serverRelativeURL: `/openapi/v3/apis/${SUBRESOURCE_GROUP}/v1`,
            },
          },
        });
      }
      if (p === `/openapi/v3/apis/${SUBRESOURCE_GROUP}/v1`) return sendJson(res, o.openapi.v3);
    }
    const sr = parseSubresourcePath(p);
    if (sr === undefined)
      return sendStatus(
        res,
        statusFailure(404, 'NotFound', `the server could not find the requested resource ${p}`),
      );
    if (isStatus(sr)) return sendStatus(res, sr);
    const spec = reviewSpec(auth.identity, resourceAttributes(sr, req.method ?? 'GET'));
    const decision = await authorizer.authorize(spec);
    if (!decision.allowed) {
      o.logger.info(
        { namespace: sr.namespace, name: sr.name, user: spec.user, verb: spec.resourceAttributes.verb },
        'forbidden',
      );
      return sendStatus(
        res,
        statusFailure(403, 'Forbidden', forbiddenMessage(spec, decision.reason), {
          name: sr.name,
          group: SUBRESOURCE_GROUP,
          kind: `functions/${sr.subresource}`,
        }),
      );
    }
    if (sr.subresource === 'invoke') return invoke(req, res, sr, url.search);
    return logs(req, res, sr, url.searchParams);
  }

  const server = createServer(
    { cert: o.cert, key: o.key, ca: o.frontProxy.clientCA, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        o.logger.error({ err, path: req.url }, 'request failed');
        sendStatus(
          res,
          statusFailure(
            500,
            'InternalError',
            `internal error: ${(err as Error).message}; see the api server's log`,
          ),
        );
      });
    },
  );
  // A slow or stalled client must not hold a socket forever; invoke has its own deadline.
  server.headersTimeout = 30_000;
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;

  return {
    server,
    registry,
    setFrontProxy(config) {
      frontProxy = config;
      server.setSecureContext({ ...serving, ca: config.clientCA });
    },
    setServingCert(cert, key) {
      serving = { cert, key };
      server.setSecureContext({ ...serving, ca: frontProxy.clientCA });
    },
    close() {
      ready = false;
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
