// A hash of a JSON value that ignores key order and undefined fields: the API server returns the
// keys of objects in its own order, and a re-read object must not look changed.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../lib/k8s/canonical.js';

/** Key order must not change the hash, or a re-read object would look changed. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
