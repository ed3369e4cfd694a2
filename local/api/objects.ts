// The kubeless.io/v1beta1 REST routes: create, get, list, watch, update, patch, delete and the
// status subresource, answering the way kube-apiserver answers for a CRD.
import { randomBytes, randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { RuntimeCatalog } from '../../lib/catalog.js';
import { badRequestStatus, statusFailure } from '../../lib/k8s/status.js';
import {
  AlreadyExists,
  NotFound,
  ResourceVersionConflict,
  storeKey,
  type Store,
  type StoredObject,
} from '../store/store.js';
import { HttpStatusError, isTrue, queryString, sendJson } from './http.js';
import { namespaceMissing, objectCanExist, guardPathParams } from './path-params.js';
import { identityMismatch, prepareCreate, prepareStatusUpdate, prepareUpdate } from './meta.js';
import { applyPatch, PatchError } from './patch.js';
import { API_VERSION } from '../../lib/types.js';
import { admit, bodyObject, resourceOf, selectorOf, storeError } from './request.js';
import type { ResourceInfo } from './resources.js';
import { matches } from './selector.js';
import { TABLE_ACCEPT, tableRow, toTable, columnDefinitions } from './table.js';
import { serveWatch } from './watch.js';
import { localOnlyWarnings, sendWarnings } from './warnings.js';

export interface ObjectsDeps {
  store: Store;
  catalog: () => RuntimeCatalog;
}

export function objectsRouter(deps: ObjectsDeps): Router {
  const { store } = deps;
  const router = express.Router();
  guardPathParams(router);

  const list = (req: Request, res: Response, namespace: string | undefined): void => {
    const r = resourceOf(req);
    const sel = selectorOf(req);
    const prefix = namespace === undefined ? `${r.plural}/` : `${r.plural}/${namespace}/`;
    const keep = (o: StoredObject): boolean =>
      matches(sel.labels, o.metadata.labels as Record<string, string> | undefined) &&
      (sel.name === undefined || o.metadata.name === sel.name);
    const table = TABLE_ACCEPT.test(req.get('accept') ?? '');
    if (isTrue(req.query.watch)) {
      serveWatch(req, res, {
        store,
        prefix,
        keep,
        render: table
          ? (o) => ({
              kind: 'Table',
              apiVersion: 'meta.k8s.io/v1',
              metadata: { resourceVersion: o.metadata.resourceVersion },
              columnDefinitions: columnDefinitions(r),
              rows: [tableRow(r, o)],
            })
          : (o) => o,
        sinceRv: queryString(req.query.resourceVersion),
        timeoutSeconds: Number(queryString(req.query.timeoutSeconds) ?? '0'),
      });
      return;
    }
    const rv = store.resourceVersion;
    const items = store.list(prefix).filter(keep);
    if (table) {
      sendJson(res, 200, toTable(r, items, rv));
      return;
    }
    sendJson(res, 200, {
      apiVersion: API_VERSION,
      kind: `${r.kind}List`,
      metadata: { resourceVersion: rv },
      items,
    });
  };

  router.get('/:plural', (req, res) => list(req, res, undefined));
  router.get('/namespaces/:ns/:plural', (req, res) => list(req, res, String(req.params.ns)));

  router.post('/namespaces/:ns/:plural', async (req, res) => {
    const r = resourceOf(req);
    const ns = String(req.params.ns);
    const missing = namespaceMissing(ns);
    if (missing) throw new HttpStatusError(missing);
    const body = bodyObject(req);
    const mismatch = identityMismatch(body, undefined, ns);
    if (mismatch) throw new HttpStatusError(badRequestStatus(mismatch));
    const obj = prepareCreate(body, r, {
      namespace: ns,
      uid: randomUUID(),
      now: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      suffix: randomBytes(3).toString('hex').slice(0, 5),
    });
    const { object: admitted, warnings } = admit(r, obj, deps.catalog());
    sendWarnings(res, [...warnings, ...(r.kind === 'Function' ? localOnlyWarnings(admitted) : [])]);
    const name = admitted.metadata.name ?? '';
    if (req.query.dryRun === 'All') {
      if (store.get(storeKey(r.plural, ns, name))) storeError(new AlreadyExists(name), r, name);
      sendJson(res, 201, admitted);
      return;
    }
    try {
      sendJson(res, 201, await store.create(storeKey(r.plural, ns, name), admitted));
    } catch (err) {
      storeError(err, r, name);
    }
  });

  const current = (r: ResourceInfo, ns: string, name: string): StoredObject => {
    if (!objectCanExist(ns, name)) storeError(new NotFound(name), r, name);
    const o = store.get(storeKey(r.plural, ns, name));
    if (!o) storeError(new NotFound(name), r, name);
    return o;
  };

  router.get('/namespaces/:ns/:plural/:name', (req, res) => {
    const r = resourceOf(req);
    const o = current(r, String(req.params.ns), String(req.params.name));
    if (TABLE_ACCEPT.test(req.get('accept') ?? ''))
      sendJson(res, 200, toTable(r, [o], o.metadata.resourceVersion ?? ''));
    else sendJson(res, 200, o);
  });
  router.get('/namespaces/:ns/:plural/:name/status', (req, res) => {
    const r = resourceOf(req);
    sendJson(res, 200, current(r, String(req.params.ns), String(req.params.name)));
  });

  /** Shared tail of PUT and PATCH: identity checks, admission, optimistic concurrency, store. */
  const write = async (
    req: Request,
    res: Response,
    statusOnly: boolean,
    next: (cur: StoredObject) => StoredObject,
  ): Promise<void> => {
    const r = resourceOf(req);
    const ns = String(req.params.ns);
    const name = String(req.params.name);
    const cur = current(r, ns, name);
    const body = next(cur);
    const mismatch = identityMismatch(body, name, ns);
    if (mismatch) throw new HttpStatusError(badRequestStatus(mismatch));
    const expectedRv = body.metadata.resourceVersion;
    let obj = statusOnly ? prepareStatusUpdate(cur, body) : prepareUpdate(cur, body);
    if (!statusOnly) {
      const admitted = admit(r, obj, deps.catalog(), cur);
      obj = admitted.object;
      const local = r.kind === 'Function' ? localOnlyWarnings(obj) : [];
      sendWarnings(res, [...admitted.warnings, ...local]);
    }
    if (req.query.dryRun === 'All') {
      if (expectedRv && expectedRv !== cur.metadata.resourceVersion)
        storeError(new ResourceVersionConflict(name), r, name);
      sendJson(res, 200, obj);
      return;
    }
    try {
      sendJson(res, 200, await store.update(storeKey(r.plural, ns, name), obj, expectedRv));
    } catch (err) {
      storeError(err, r, name);
    }
  };

  const put = (statusOnly: boolean) => async (req: Request, res: Response) => {
    const body = bodyObject(req);
    await write(req, res, statusOnly, () => body);
  };
  const patch = (statusOnly: boolean) => async (req: Request, res: Response) => {
    await write(req, res, statusOnly, (cur) => {
      try {
        const patched = applyPatch(req.get('content-type') ?? '', cur, req.body) as StoredObject;
        // A patch without a resourceVersion applies to whatever is stored; one with it is a precondition.
        const patchedRv = (req.body as { metadata?: { resourceVersion?: string } } | undefined)?.metadata
          ?.resourceVersion;
        if (patched.metadata && patchedRv === undefined)
          patched.metadata.resourceVersion = cur.metadata.resourceVersion;
        return patched;
      } catch (err) {
        if (err instanceof PatchError) {
          const reason =
            err.code === 415 ? 'UnsupportedMediaType' : err.code === 422 ? 'Invalid' : 'BadRequest';
          throw new HttpStatusError(statusFailure(err.code, reason, err.message));
        }
        throw err;
      }
    });
  };
  router.put('/namespaces/:ns/:plural/:name', put(false));
  router.put('/namespaces/:ns/:plural/:name/status', put(true));
  router.patch('/namespaces/:ns/:plural/:name', patch(false));
  router.patch('/namespaces/:ns/:plural/:name/status', patch(true));

  router.delete('/namespaces/:ns/:plural/:name', async (req, res) => {
    const r = resourceOf(req);
    const ns = String(req.params.ns);
    const name = String(req.params.name);
    const cur = current(r, ns, name);
    const pre = (req.body as { preconditions?: { resourceVersion?: string; uid?: string } } | undefined)
      ?.preconditions;
    if (pre?.uid && pre.uid !== cur.metadata.uid) {
      storeError(new ResourceVersionConflict(name), r, name);
    }
    if (req.query.dryRun === 'All') {
      sendJson(res, 200, cur);
      return;
    }
    try {
      sendJson(res, 200, await store.delete(storeKey(r.plural, ns, name), pre?.resourceVersion));
    } catch (err) {
      storeError(err, r, name);
    }
  });

  router.delete('/namespaces/:ns/:plural', async (req, res) => {
    const r = resourceOf(req);
    const ns = String(req.params.ns);
    const sel = selectorOf(req);
    const doomed = store
      .list(`${r.plural}/${ns}/`)
      .filter((o) => matches(sel.labels, o.metadata.labels as Record<string, string> | undefined));
    const items: StoredObject[] = [];
    for (const o of doomed) {
      if (req.query.dryRun === 'All') items.push(o);
      else items.push(await store.delete(storeKey(r.plural, ns, o.metadata.name ?? '')));
    }
    sendJson(res, 200, {
      apiVersion: API_VERSION,
      kind: `${r.kind}List`,
      metadata: { resourceVersion: store.resourceVersion },
      items,
    });
  });

  return router;
}
