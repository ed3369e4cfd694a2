// PATCH bodies by content type: JSON merge patch (RFC 7386) and JSON patch (RFC 6902, through
// fast-json-patch). Strategic merge and server-side apply need schemas we do not serve, so they
// are refused with a message that names what to use instead.
import jsonpatch from 'fast-json-patch';

export class PatchError extends Error {
  constructor(
    readonly code: 400 | 415 | 422,
    message: string,
  ) {
    super(message);
  }
}

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function applyPatch(contentType: string, target: unknown, body: unknown): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === MERGE_PATCH) {
    if (!isObject(body)) throw new PatchError(400, 'a merge patch must be a JSON object');
    return mergePatch(target, body);
  }
  if (type === JSON_PATCH) {
    if (!Array.isArray(body)) throw new PatchError(400, 'a JSON patch must be an array of operations');
    try {
      const doc = structuredClone(target);
      return jsonpatch.applyPatch(doc, body as jsonpatch.Operation[], true, true).newDocument;
    } catch (err) {
      const code = (err as { name?: string }).name === 'TEST_OPERATION_FAILED' ? 422 : 400;
      throw new PatchError(code, `the JSON patch could not be applied: ${(err as Error).message}`);
    }
  }
  throw new PatchError(
    415,
    `the patch type ${JSON.stringify(type)} is not supported by the local platform; use ${MERGE_PATCH} (kubectl patch --type=merge) or ${JSON_PATCH} (--type=json)`,
  );
}
