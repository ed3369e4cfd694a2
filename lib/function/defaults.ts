// Defaults of a Function, applied once (mutating webhook, local platform, CLI) so every path
// stores the same object. Pure: returns a new object and never changes its input.
import type { RuntimeCatalog } from '../catalog.js';
import type { KubelessFunction } from '../types.js';
import { sha256Checksum } from './checksum.js';
import { contentTypeOfSpec, formatContentType, inlineBytes, type ContentType } from './content.js';
import { DEFAULT_TIMEOUT_SECONDS } from './timeout.js';

/** spec.timeout as defaulting stores it (a quoted number of seconds, as the original did). */
export const DEFAULT_TIMEOUT = String(DEFAULT_TIMEOUT_SECONDS);
export const CREATED_BY = 'kubeless';

function contentTypeOf(spec: KubelessFunction['spec']): ContentType | undefined {
  try {
    return contentTypeOfSpec(spec);
  } catch {
    // Validation reports it; defaulting must not guess over a value the user wrote.
    return undefined;
  }
}

/**
 * Fills in what the user may leave out: `timeout` "180", `function-content-type` (detected from
 * the content), `checksum` of inline code, and the labels `function: <name>` and
 * `created-by: kubeless` that Services and triggers select on. `catalog` is part of the contract
 * so that catalog-driven defaults can be added without changing every caller.
 */
export function defaultFunction(fn: KubelessFunction, _catalog: RuntimeCatalog): KubelessFunction {
  const out = structuredClone(fn);
  out.metadata = out.metadata ?? {};
  out.spec = out.spec ?? ({} as KubelessFunction['spec']);
  const name = out.metadata.name;
  if (name) {
    out.metadata.labels = { ...(out.metadata.labels ?? {}), function: name, 'created-by': CREATED_BY };
  }
  const spec = out.spec;
  if (spec.timeout === undefined || spec.timeout === '') spec.timeout = DEFAULT_TIMEOUT;
  const content = spec.function;
  if (typeof content === 'string' && content !== '') {
    const ct = contentTypeOf(spec);
    if (ct && !spec['function-content-type']) spec['function-content-type'] = formatContentType(ct);
    if (ct && !spec.checksum) {
      const bytes = inlineBytes(content, ct);
      if (bytes) spec.checksum = sha256Checksum(bytes);
    }
  }
  return out;
}
