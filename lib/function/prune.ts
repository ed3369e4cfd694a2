// Drops the fields a CRD's structural schema does not know, as kube-apiserver does when it stores
// a custom resource, so servers without kube-apiserver (the local platform) store the same object
// and can warn about the same fields ("unknown field spec.handlr").
import { kindSchemas } from '../../openapi/generated/schemas.js';
import type { KubelessKind } from '../types.js';
import { child } from './errors.js';

type Schema = Record<string, unknown>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// In the generated schemas an object with neither `properties` nor `additionalProperties` is an
// x-kubernetes-preserve-unknown-fields node (deployment, service, payload ...): kept as it is.
function prune(value: unknown, schema: Schema, at: string, removed: string[]): unknown {
  if (Array.isArray(value)) {
    const items = schema.items;
    return isRecord(items) ? value.map((v, i) => prune(v, items, child(at, i), removed)) : value;
  }
  if (!isRecord(value)) return value;
  const props = schema.properties;
  const additional = schema.additionalProperties;
  if (isRecord(props)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const sub = props[key];
      if (isRecord(sub)) out[key] = prune(v, sub, child(at, key), removed);
      else removed.push(child(at, key));
    }
    return out;
  }
  if (isRecord(additional)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = prune(v, additional, child(at, key), removed);
    return out;
  }
  return value;
}

/**
 * Returns a copy of `obj` without the fields the kind's schema does not define, and their paths.
 * `metadata` is left alone: it is standard ObjectMeta, owned by the API server.
 */
export function pruneUnknownFields(kind: KubelessKind, obj: unknown): { object: unknown; removed: string[] } {
  const schema = kindSchemas[kind];
  const removed: string[] = [];
  // An object schema without properties keeps everything below it.
  const root = { ...schema, properties: { ...(schema.properties as Schema), metadata: { type: 'object' } } };
  return { object: prune(obj, root, '', removed), removed };
}
