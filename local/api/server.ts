// The local API server's express app: discovery, the kubeless.io REST routes, the subresources
// API, and one error handler that answers every failure as a Kubernetes Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { RuntimeCatalog } from '../../lib/catalog.js';
import { statusFailure } from '../../lib/k8s/status.js';
import { VERSION as KUBELESS_VERSION } from '../../lib/version.js';
import type { Store } from '../store/store.js';
import {
  apiGroup,
  coreResources,
  coreVersions,
  groupList,
  kubelessResources,
  subresourceResources,
} from './discovery.js';
import { CATALOG_CONFIGMAP, CATALOG_NAMESPACE, catalogConfigMap } from './catalog-configmap.js';
import { HttpStatusError, sendJson, sendStatus } from './http.js';
import { objectsRouter } from './objects.js';
import { openapiV3Document, openapiV3Paths } from './openapi.js';
import { requestOriginGuard } from './request-origin.js';
import { GROUP, SUBRESOURCE_GROUP, SUBRESOURCE_VERSION, VERSION } from '../../lib/types.js';
import type { FunctionConnections } from '../../lib/invoke/connections.js';
import { localInvoke, subresourcesRouter, type FunctionBackend, type LocalInvoke } from './subresources.js';
import { serveOps } from '../../lib/server/ops.js';

export interface AppOptions {
  store: Store;
  catalog: () => RuntimeCatalog;
  backend: FunctionBackend;
  logger: Logger;
  /** Limit for object bodies (a Function carries its code inline). */
  objectLimit: string;
  /** Limit for invoke bodies. */
  invokeLimit: number;
  startWaitMs: number;
  /** Host names the API answers to besides localhost, 127.0.0.1 and [::1] (--host-name). */
  hostNames?: string[];
  /** Kept connections to the runtime processes (shared with the gateway and the triggers). */
  connections: FunctionConnections;
}

/** The API server's request listener: invoke calls first (localInvoke's fast path), everything else through express. */
export function createRequestListener(opts: AppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const invoke = localInvoke({
    backend: opts.backend,
    connections: opts.connections,
    logger: opts.logger,
    bodyLimit: opts.invokeLimit,
    startWaitMs: opts.startWaitMs,
    hostNames: opts.hostNames ?? [],
  });
  const app = createApp(opts, invoke);
  return (req, res) => {
    if (!invoke.fast(req, res)) void app(req, res);
  };
}

export function createApp(opts: AppOptions, invoke: LocalInvoke): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // First of all: a request for another host name or from another site reaches nothing.
  app.use(requestOriginGuard(opts.hostNames ?? []));

  app.use((req, res, next) => {
    if (!serveOps(req, res)) next();
  });
  app.get('/version', (_req, res) => {
    const [major = '0', minor = '0'] = KUBELESS_VERSION.split('.');
    sendJson(res, 200, {
      major,
      minor,
      gitVersion: `v${KUBELESS_VERSION}-kubeless-local`,
      platform: `${process.platform}/${process.arch}`,
    });
  });
  app.get('/api', (_req, res) => sendJson(res, 200, coreVersions()));
  app.get('/api/v1', (_req, res) => sendJson(res, 200, coreResources()));
  app.get(`/api/v1/namespaces/${CATALOG_NAMESPACE}/configmaps/${CATALOG_CONFIGMAP}`, (_req, res) =>
    sendJson(res, 200, catalogConfigMap(opts.catalog())),
  );
  app.get('/apis', (_req, res) => sendJson(res, 200, groupList()));
  app.get(`/apis/${GROUP}/${VERSION}`, (_req, res) => sendJson(res, 200, kubelessResources()));
  app.get(`/apis/${SUBRESOURCE_GROUP}/${SUBRESOURCE_VERSION}`, (_req, res) =>
    sendJson(res, 200, subresourceResources()),
  );
  app.get('/apis/:group', (req, res, next) => {
    const g = apiGroup(String(req.params.group));
    if (g) sendJson(res, 200, g);
    else next();
  });

  app.get('/openapi/v3', (_req, res) => sendJson(res, 200, openapiV3Paths()));
  app.get('/openapi/v3/apis/:group/:version', (req, res, next) => {
    const doc = openapiV3Document(String(req.params.group), String(req.params.version));
    if (doc) sendJson(res, 200, doc);
    else next();
  });

  // Invoke bodies are streamed to the function untouched, so no body parser runs before this.
  app.use(
    `/apis/${SUBRESOURCE_GROUP}/${SUBRESOURCE_VERSION}`,
    subresourcesRouter({ backend: opts.backend, invoke }),
  );
  app.use(
    `/apis/${GROUP}/${VERSION}`,
    express.json({
      limit: opts.objectLimit,
      type: ['application/json', 'application/*+json'],
      strict: false,
    }),
    objectsRouter({ store: opts.store, catalog: opts.catalog }),
  );

  app.use((req: Request, res: Response) => {
    sendStatus(
      res,
      statusFailure(
        404,
        'NotFound',
        `the server could not find the requested resource (${req.method} ${req.path})`,
      ),
    );
  });
  // Express needs the four-argument signature to recognise an error handler.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpStatusError) {
      sendStatus(res, err.status);
      return;
    }
    const e = err as { type?: string; status?: number; message?: string; limit?: number };
    if (e.type === 'entity.too.large') {
      sendStatus(
        res,
        statusFailure(
          413,
          'RequestEntityTooLarge',
          `the object is larger than the ${opts.objectLimit} limit; move large code to a URL (function-content-type url)`,
        ),
      );
      return;
    }
    if (e.type === 'entity.parse.failed') {
      sendStatus(res, statusFailure(400, 'BadRequest', `the body is not valid JSON: ${e.message}`));
      return;
    }
    if (e.status === 415) {
      sendStatus(
        res,
        statusFailure(
          415,
          'UnsupportedMediaType',
          `${e.message}; send JSON (Content-Type: application/json)`,
        ),
      );
      return;
    }
    opts.logger.error({ method: req.method, path: req.path, err: e.message }, 'request failed');
    sendStatus(res, statusFailure(500, 'InternalError', `internal error: ${e.message ?? String(err)}`));
  });
  return app;
}
