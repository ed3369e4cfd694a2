import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { ClusterReader } from './cluster-checks.js';
import { clusterErrors } from './cluster-checks.js';
import { mutate, needsClusterChecks, validate } from './decide.js';
import type { WebhookMetrics } from './metrics.js';
import type { AdmissionModel } from './model.js';
import type { AdmissionRequest, AdmissionResponse } from './review.js';
import { statusFailure as failureStatus } from '../lib/k8s/status.js';
import { parseReview, reviewOut } from './review.js';
import { serveOps } from '../lib/server/ops.js';

export interface AppOptions {
  model: AdmissionModel;
  /** Absent: cross-object checks are skipped (local use without a cluster). */
  reader?: ClusterReader;
  metrics: WebhookMetrics;
  logger: Logger;
  /** Largest accepted body; kube-apiserver limits objects to ~1.5 MiB, and a review carries two. */
  bodyLimitBytes: number;
  /** Budget for cluster lookups, kept under the configuration's timeoutSeconds. */
  lookupTimeoutMs: number;
  ready: () => boolean;
}

class LookupTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LookupTimeout(`cluster lookups took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

function objectMeta(req: AdmissionRequest): { namespace?: string; name?: string } {
  const meta = (req.object?.metadata ?? {}) as { name?: unknown; generateName?: unknown };
  const name = typeof meta.name === 'string' && meta.name ? meta.name : req.name;
  return { namespace: req.namespace, name };
}

export function createApp(opts: AppOptions): express.Express {
  const { model, metrics, logger } = opts;
  const app = express();
  app.disable('x-powered-by');
  // Any content type: kube-apiserver sends application/json, and a wrong header should get a
  // useful 400 from the parser rather than an empty body.
  // Probes and scrapes before the body parser: they never read a body.
  const health = { healthy: () => true, ready: () => opts.ready() || 'serving certificate not loaded yet' };
  app.use((req, res, next) => {
    if (!serveOps(req, res, { health, registry: metrics.registry })) next();
  });
  app.use(express.json({ limit: opts.bodyLimitBytes, type: () => true, strict: false }));

  const review =
    (endpoint: 'mutate' | 'validate') =>
    async (req: Request, res: Response): Promise<void> => {
      const end = metrics.duration.startTimer({ endpoint });
      const parsed = parseReview(req.body);
      if (!parsed.ok) {
        metrics.badRequests.inc({ endpoint, reason: 'shape' });
        end();
        if (parsed.uid) {
          // The apiserver can match a response with a uid, so deny in-band and say why.
          res.json(
            reviewOut({
              uid: parsed.uid,
              allowed: false,
              status: failureStatus(400, 'BadRequest', parsed.message),
            }),
          );
        } else {
          res.status(400).json(failureStatus(400, 'BadRequest', parsed.message));
        }
        return;
      }
      const request = parsed.request;
      let response: AdmissionResponse;
      if (endpoint === 'mutate') {
        response = mutate(request, model);
      } else if (opts.reader && needsClusterChecks(request, model)) {
        try {
          const extra = await withTimeout(
            clusterErrors(request.kind.kind, request.namespace ?? '', request.object ?? {}, opts.reader),
            opts.lookupTimeoutMs,
          );
          response = validate(request, model, extra);
        } catch (err) {
          logger.error(
            { ...objectMeta(request), kind: request.kind.kind, err: String(err) },
            'cluster lookup failed',
          );
          // Deny rather than admit unchecked: the rule protects other users' routes and secrets.
          response = {
            uid: request.uid,
            allowed: false,
            status: failureStatus(
              err instanceof LookupTimeout ? 504 : 500,
              'InternalError',
              `could not check ${request.kind.kind} against the cluster (${String(err)}); retry, and if it persists check the webhook's logs and its RBAC for secrets and httptriggers`,
            ),
          };
        }
      } else {
        response = validate(request, model);
      }
      metrics.admissions.inc({
        endpoint,
        kind: request.kind.kind,
        operation: request.operation,
        allowed: String(response.allowed),
        dry_run: String(request.dryRun),
      });
      end();
      const fields = {
        ...objectMeta(request),
        kind: request.kind.kind,
        operation: request.operation,
        dryRun: request.dryRun,
        uid: request.uid,
      };
      if (response.allowed)
        logger.debug({ ...fields, endpoint, patched: response.patch !== undefined }, 'admitted');
      else logger.info({ ...fields, endpoint, message: response.status?.message }, 'denied');
      res.json(reviewOut(response));
    };

  app.post('/mutate', review('mutate'));
  app.post('/validate', review('validate'));
  app.use((req, res) => {
    res
      .status(404)
      .json(
        failureStatus(404, 'NotFound', `no route ${req.method} ${req.path}; use POST /mutate or /validate`),
      );
  });
  // Body-parser errors (bad JSON, too large, bad encoding) become Status replies, never a crash.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; type?: string; message?: string };
    const status = e.status && e.status >= 400 && e.status < 500 ? e.status : 500;
    // Bounded label values: the parser runs before routing, so the path may be anything.
    const endpoint = req.path === '/mutate' || req.path === '/validate' ? req.path.slice(1) : 'other';
    metrics.badRequests.inc({ endpoint, reason: e.type ?? 'error' });
    if (status === 413) {
      res
        .status(413)
        .json(
          failureStatus(
            413,
            'RequestEntityTooLarge',
            `body exceeds ${opts.bodyLimitBytes} bytes; AdmissionReviews are far smaller, check what is calling this endpoint`,
          ),
        );
      return;
    }
    if (status === 500) logger.error({ err: String(err) }, 'unexpected error');
    res
      .status(status)
      .json(
        failureStatus(
          status,
          status === 500 ? 'InternalError' : 'BadRequest',
          `${e.message ?? 'bad request'}; send a JSON AdmissionReview (admission.k8s.io/v1)`,
        ),
      );
  });
  return app;
}
