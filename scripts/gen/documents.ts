// The API documents in openapi/ and the small JSON-schema toolkit the generators share.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ApiDocument {
  /** File name under openapi/, e.g. `kubeless.io_v1beta1.yaml`. */
  file: string;
  /** The document as parsed (YAML anchors resolved). */
  doc: JsonObject;
}

export const KUBELESS_DOC = 'kubeless.io_v1beta1.yaml';
export const SUBRESOURCES_DOC = 'subresources.kubeless.io_v1.yaml';

export async function loadDocument(root: string, file: string): Promise<ApiDocument> {
  const text = await readFile(path.join(root, 'openapi', file), 'utf8');
  const doc: unknown = YAML.parse(text);
  if (!isObject(doc)) throw new Error(`openapi/${file}: expected a YAML mapping at the top level`);
  return { file, doc };
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function schemasOf(doc: JsonObject): Record<string, JsonObject> {
  const schemas = (doc.components as JsonObject | undefined)?.schemas;
  if (!isObject(schemas)) throw new Error('document has no components.schemas');
  return schemas as Record<string, JsonObject>;
}

const LOCAL_REF = '#/components/schemas/';

/**
 * Replaces every `$ref` to components/schemas with a deep copy of its target. Keys written next
 * to the `$ref` (a field's own description) win over the target's. CRDs allow no `$ref`, and
 * inlining keeps the ajv schemas self-contained too.
 */
export function inlineRefs(schema: Json, schemas: Record<string, JsonObject>, seen: string[] = []): Json {
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(s, schemas, seen));
  if (!isObject(schema)) return schema;
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    if (!ref.startsWith(LOCAL_REF))
      throw new Error(`unsupported $ref ${ref}: only ${LOCAL_REF}<name> is allowed`);
    const name = ref.slice(LOCAL_REF.length);
    const target = schemas[name];
    if (!target) throw new Error(`$ref ${ref} names no schema`);
    if (seen.includes(name)) throw new Error(`$ref cycle through ${[...seen, name].join(' -> ')}`);
    const { $ref: _drop, ...siblings } = schema;
    const resolved = inlineRefs(target, schemas, [...seen, name]) as JsonObject;
    return { ...resolved, ...(inlineRefs(siblings, schemas, seen) as JsonObject) };
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) out[key] = inlineRefs(value, schemas, seen);
  return out;
}

/** Drops keys (at every level of a schema) for which `drop` says so; property names are kept. */
export function stripKeys(schema: Json, drop: (key: string) => boolean): Json {
  if (Array.isArray(schema)) return schema.map((s) => stripKeys(s, drop));
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (drop(key)) continue;
    if (key === 'properties' && isObject(value)) {
      const props: JsonObject = {};
      for (const [name, sub] of Object.entries(value)) props[name] = stripKeys(sub, drop);
      out[key] = props;
    } else {
      out[key] = stripKeys(value, drop);
    }
  }
  return out;
}
