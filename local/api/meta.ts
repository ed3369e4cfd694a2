// What the API server itself does to an object on create and update, as pure functions:
// identity fields, generation (bumped on spec change only) and the split between the main
// resource (owns everything but status) and the status subresource (owns only status).
import { isDeepStrictEqual } from 'node:util';
import { API_VERSION } from '../../lib/types.js';
import type { StoredObject } from '../store/store.js';
import type { ResourceInfo } from './resources.js';

export interface CreateContext {
  namespace: string;
  uid: string;
  now: string;
  /** Random suffix for generateName. */
  suffix: string;
}

type Meta = StoredObject['metadata'] & {
  generateName?: string;
  uid?: string;
  generation?: number;
  creationTimestamp?: string;
};

export function prepareCreate(body: StoredObject, res: ResourceInfo, ctx: CreateContext): StoredObject {
  const obj = structuredClone(body);
  const meta = (obj.metadata ?? {}) as Meta;
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${ctx.suffix}`;
  delete meta.resourceVersion;
  meta.namespace = ctx.namespace;
  meta.uid = ctx.uid;
  meta.creationTimestamp = ctx.now;
  meta.generation = 1;
  obj.metadata = meta;
  obj.apiVersion = obj.apiVersion ?? API_VERSION;
  obj.kind = obj.kind ?? res.kind;
  // Status belongs to the controller; a client cannot create an object that claims to be ready.
  delete obj.status;
  return obj;
}

const IDENTITY = ['uid', 'creationTimestamp', 'namespace', 'name', 'generation'] as const;

/** A write to the main resource: everything but status, identity kept from the stored object. */
export function prepareUpdate(current: StoredObject, body: StoredObject): StoredObject {
  const obj = structuredClone(body);
  const meta = { ...(obj.metadata ?? {}) } as Meta;
  const old = current.metadata as Meta;
  for (const k of IDENTITY) {
    if (old[k] === undefined) delete meta[k];
    else (meta as Record<string, unknown>)[k] = old[k];
  }
  obj.metadata = meta;
  if (current.status === undefined) delete obj.status;
  else obj.status = structuredClone(current.status);
  if (!isDeepStrictEqual(obj.spec, current.spec)) meta.generation = (old.generation ?? 1) + 1;
  return obj;
}

/** A write to `/status`: only status changes. */
export function prepareStatusUpdate(current: StoredObject, body: StoredObject): StoredObject {
  const obj = structuredClone(current);
  if (body.status === undefined) delete obj.status;
  else obj.status = structuredClone(body.status);
  return obj;
}

/** Name and namespace in a body must agree with the path; the API server refuses the mismatch. */
export function identityMismatch(
  body: StoredObject,
  name: string | undefined,
  namespace: string,
): string | undefined {
  const m = body.metadata ?? {};
  if (m.namespace !== undefined && m.namespace !== namespace) {
    return `the namespace of the object (${m.namespace}) does not match the namespace of the request (${namespace})`;
  }
  if (name !== undefined && m.name !== undefined && m.name !== name) {
    return `the name of the object (${m.name}) does not match the name in the URL (${name})`;
  }
  return undefined;
}
