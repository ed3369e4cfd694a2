// Request-level helpers of the REST routes: which resource a path names, the JSON body,
// admission (defaulting + validation, as the webhook does), selectors, and store errors as Status.
import type { Request } from 'express';
import type { RuntimeCatalog } from '../../lib/catalog.js';
import { API_VERSION, GROUP } from '../../lib/types.js';
import {
  alreadyExistsStatus,
  badRequestStatus,
  conflictStatus,
  invalidStatus,
  notFoundStatus,
  statusFailure,
} from '../../lib/k8s/status.js';
import { sharedModel } from '../../webhook/shared-model.js';
import type { KubeObject } from '../../webhook/model.js';
import { AlreadyExists, NotFound, ResourceVersionConflict, type StoredObject } from '../store/store.js';
import { HttpStatusError, queryString } from './http.js';
import { resourceByPlural, type ResourceInfo } from './resources.js';
import { parseSelector, SelectorError, type Requirement } from './selector.js';

export function resourceOf(req: Request): ResourceInfo {
  const plural = String(req.params.plural);
  const res = resourceByPlural(plural);
  if (!res) {
    throw new HttpStatusError(
      statusFailure(
        404,
        'NotFound',
        `the server could not find the requested resource "${plural}" in ${API_VERSION}; use one of functions, kafkatriggers, httptriggers, cronjobtriggers`,
      ),
    );
  }
  return res;
}

export function bodyObject(req: Request): StoredObject {
  const b: unknown = req.body;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) {
    throw new HttpStatusError(
      badRequestStatus('the request body must be a JSON object (Content-Type: application/json)'),
    );
  }
  const obj = b as StoredObject;
  if (obj.metadata === undefined) obj.metadata = {};
  if (typeof obj.metadata !== 'object' || obj.metadata === null) {
    throw new HttpStatusError(badRequestStatus('metadata must be an object'));
  }
  return obj;
}

export interface Admitted {
  object: StoredObject;
  /** What kube-apiserver would relay from the webhook as `Warning` headers. */
  warnings: string[];
}

/**
 * Defaulting, validation and warnings from the admission webhook's own model, so an object is
 * stored, refused or warned about the same way here as on a cluster. `previous` is the stored
 * object on an update.
 */
export function admit(
  res: ResourceInfo,
  obj: StoredObject,
  catalog: RuntimeCatalog,
  previous?: StoredObject,
): Admitted {
  const model = sharedModel(() => catalog);
  const asKube = (o: StoredObject | undefined) => o as unknown as KubeObject | undefined;
  const admitted = model.defaults(res.kind, asKube(obj)!, asKube(previous)) as unknown as StoredObject;
  const { status: _status, ...checked } = admitted;
  const errors = model.validate(res.kind, checked as KubeObject);
  if (errors.length > 0)
    throw new HttpStatusError(invalidStatus(res.kind, admitted.metadata.name ?? '', GROUP, errors));
  return { object: admitted, warnings: model.warnings(res.kind, asKube(obj)!) };
}

export function selectorOf(req: Request): { labels: Requirement[]; name?: string } {
  try {
    const labels = parseSelector(queryString(req.query.labelSelector) ?? '');
    const fields = queryString(req.query.fieldSelector) ?? '';
    let name: string | undefined;
    for (const term of fields.split(',').filter((t) => t !== '')) {
      const m = /^metadata\.(name|namespace)\s*==?\s*(.*)$/.exec(term);
      if (!m)
        throw new SelectorError(
          `field selector ${JSON.stringify(term)} is not supported; use metadata.name=<name>`,
        );
      if (m[1] === 'name') name = m[2];
    }
    return { labels, name };
  } catch (err) {
    if (err instanceof SelectorError) throw new HttpStatusError(badRequestStatus(err.message));
    throw err;
  }
}

export function storeError(err: unknown, res: ResourceInfo, name: string): never {
  if (err instanceof NotFound) throw new HttpStatusError(notFoundStatus(res.kind, name, GROUP, res.plural));
  if (err instanceof AlreadyExists)
    throw new HttpStatusError(alreadyExistsStatus(res.kind, name, GROUP, res.plural));
  if (err instanceof ResourceVersionConflict) {
    throw new HttpStatusError(
      conflictStatus(
        res.plural,
        name,
        GROUP,
        'the object has been modified; please apply your changes to the latest version and try again',
      ),
    );
  }
  throw err;
}
