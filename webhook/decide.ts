import jsonpatch from 'fast-json-patch';
import type { AdmissionModel, FieldError, KubeObject } from './model.js';
import { GROUP } from '../lib/types.js';
import { invalidStatus } from '../lib/k8s/status.js';
import type { AdmissionRequest, AdmissionResponse } from './review.js';
import { isBeingDeleted } from './review.js';

// Pure admission decisions: request + model (+ errors found in the cluster) → response.

function handles(req: AdmissionRequest, model: AdmissionModel): boolean {
  return req.kind.group === GROUP && model.kinds.includes(req.kind.kind) && req.object !== undefined;
}

function objectName(req: AdmissionRequest): string | undefined {
  const meta = req.object?.metadata as { name?: unknown; generateName?: unknown } | undefined;
  if (typeof meta?.name === 'string' && meta.name !== '') return meta.name;
  return req.name || undefined;
}

/** JSON Patch (RFC 6902) operations that turn `obj` into `defaulted`. */
export function defaultingPatch(obj: KubeObject, defaulted: KubeObject): jsonpatch.Operation[] {
  return jsonpatch.compare(obj, defaulted);
}

/** The stored object an UPDATE replaces: defaulting needs it to tell a stale default from a user's value. */
function previousObject(req: AdmissionRequest): KubeObject | undefined {
  return req.operation === 'UPDATE' ? (req.oldObject as KubeObject | undefined) : undefined;
}

/**
 * Defaults as a patch. An object the model refuses is denied here already: kube-apiserver checks
 * the CRD's schema and CEL rules after the mutating webhooks and before the validating ones, and
 * a CEL rule's denial cannot name the value (`Invalid value: "string"`); ours names it and the fix.
 */
export function mutate(req: AdmissionRequest, model: AdmissionModel): AdmissionResponse {
  if (isBeingDeleted(req) || !handles(req, model)) return { uid: req.uid, allowed: true };
  const obj = req.object as KubeObject;
  const defaulted = model.defaults(req.kind.kind, obj, previousObject(req));
  const warnings = model.warnings(req.kind.kind, obj);
  const errors = model.validate(req.kind.kind, defaulted);
  if (errors.length > 0) {
    return {
      uid: req.uid,
      allowed: false,
      status: invalidStatus(req.kind.kind, objectName(req) ?? '', req.kind.group, errors),
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }
  const ops = defaultingPatch(obj, defaulted);
  return {
    uid: req.uid,
    allowed: true,
    ...(ops.length > 0
      ? { patch: Buffer.from(JSON.stringify(ops)).toString('base64'), patchType: 'JSONPatch' as const }
      : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** Rules that depend on the namespace read it from the object; the request's is the one that counts. */
function withNamespace(obj: KubeObject, req: AdmissionRequest): KubeObject {
  const given = obj.metadata;
  if (
    !req.namespace ||
    (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
  )
    return obj;
  const meta = (given ?? {}) as Record<string, unknown>;
  return meta.namespace === req.namespace ? obj : { ...obj, metadata: { ...meta, namespace: req.namespace } };
}

/**
 * Validates what will be stored. The object is defaulted first, so the validating webhook judges
 * the same object whether or not the mutating webhook ran before it (the apiserver does not promise
 * order across configurations, and a reinvocation may have changed it).
 */
export function validate(
  req: AdmissionRequest,
  model: AdmissionModel,
  clusterErrors: FieldError[] = [],
): AdmissionResponse {
  if (isBeingDeleted(req) || !handles(req, model)) return { uid: req.uid, allowed: true };
  const obj = withNamespace(
    model.defaults(req.kind.kind, req.object as KubeObject, previousObject(req)),
    req,
  );
  const errors = [...model.validate(req.kind.kind, obj), ...clusterErrors];
  const warnings = model.warnings(req.kind.kind, req.object as KubeObject);
  const extra = warnings.length > 0 ? { warnings } : {};
  if (errors.length === 0) return { uid: req.uid, allowed: true, ...extra };
  return {
    uid: req.uid,
    allowed: false,
    status: invalidStatus(req.kind.kind, objectName(req) ?? '', req.kind.group, errors),
    ...extra,
  };
}

/** Whether validating `req` needs cluster lookups at all (saves API calls for the common case). */
export function needsClusterChecks(req: AdmissionRequest, model: AdmissionModel): boolean {
  return !isBeingDeleted(req) && handles(req, model) && req.kind.kind === 'HTTPTrigger';
}
