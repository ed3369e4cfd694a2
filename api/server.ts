// The HTTPS aggregated API server: authenticate (front proxy), authorise (SubjectAccessReview),
// then discovery, OpenAPI, invoke (streamed proxy) and log (merged pod logs).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { statusFailure, isStatus } from '../lib/k8s/status.js';
import { SUBRESOURCE_API_VERSION, SUBRESOURCE_GROUP } from '../lib/types.js';
import { authenticate, type FrontProxyConfig } from './authn.js';
import { CachedAuthorizer, forbiddenMessage, reviewSpec } from './authz.js';
import { apiGroup, apiGroupList, apiResourceList, type OpenApiDocs } from './discovery.js';
import { FunctionConnections } from '../lib/invoke/connections.js';
import { functionNotFound } from '../lib/invoke/failures.js';
import type { HeaderRules } from '../lib/invoke/headers.js';
import { createInvokeProxy, sendStatusJson as sendStatus } from '../lib/invoke/proxy.js';
import type { Cluster } from './kube.js';
import { cachedLookups, type LookupCacheOptions } from './lookups.js';
import { ByteLimit, LinePrefixer, parseLogQuery, streamPrefix } from './logs.js';
import {
  isPublicPath,
  parseSubresourcePath,
  resourceAttributes,
  SUBRESOURCE_PREFIX,
  type SubresourceRequest,
} from './request.js';
import { clusterResolver, type ServiceAddressMode } from './resolver.js';
import { serveOps } from '../lib/server/ops.js';

export type { ServiceAddressMode } from './resolver.js';

export interface ApiServerOptions {
  cert: string;
  key: string;
  frontProxy: FrontProxyConfig;
  cluster: Cluster;
  openapi: OpenApiDocs;
  logger: Logger;
  serviceAddress: ServiceAddressMode;
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
  // Kept connections to functions; a call whose kept socket a draining pod closes under it is sent
  // again on a new connection (lib/invoke/retry.ts).
  const connections = new FunctionConnections();
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
  const retries = new Counter({
    name: 'kubeless_api_invoke_retries_total',
    help: 'Invocations sent again on a new connection because a kept one to the function closed under them',
    registers: [registry],
  });
  let ready = true;
  const proxy = createInvokeProxy({
    resolver: clusterResolver({
      lookups,
      mode: o.serviceAddress,
      connections,
    }),
    connections,
    mode: 'invoke',
    bodyLimitBytes: o.bodyLimitBytes,
    deadlineMarginSeconds: o.timeoutMarginSeconds,
    headerRules,
    logger: o.logger.child({ subresource: 'invoke' }),
    onDone(code, seconds) {
      calls.inc({ code: String(code) });
      duration.observe({ code: String(code) }, seconds);
    },
    onRetry: () => retries.inc(),
  });

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
      const prefixer = new LinePrefixer(streamPrefix(streams.length, s.pod, s.container));
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
    if (
      serveOps(req, res, { health: { healthy: () => true, ready: () => ready || 'shutting down' }, registry })
    )
      return;
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
            [`apis/${SUBRESOURCE_API_VERSION}`]: {
              serverRelativeURL: `/openapi/v3/apis/${SUBRESOURCE_API_VERSION}`,
            },
          },
        });
      }
      if (p === `/openapi/v3/apis/${SUBRESOURCE_API_VERSION}`) return sendJson(res, o.openapi.v3);
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
    if (sr.subresource === 'invoke') {
      return proxy.handle(req, res, {
        namespace: sr.namespace,
        name: sr.name,
        path: `${sr.path}${url.search}`,
      });
    }
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
        server.close(() => {
          connections.close();
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
