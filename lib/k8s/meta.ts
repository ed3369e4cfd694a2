// Metadata no cache needs: managedFields and kubectl's copy of the last applied manifest.
import type { V1ObjectMeta } from '@kubernetes/client-node';

/** kubectl apply keeps a copy of the whole manifest here: for a Function, its code a second time. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Metadata without managedFields and kubectl's last-applied copy; for every cached object. */
export function trimMeta(m: V1ObjectMeta | undefined): V1ObjectMeta | undefined {
  if (!m) return m;
  const { managedFields: _fields, annotations, ...rest } = m;
  if (!annotations || !(LAST_APPLIED in annotations)) return annotations ? { ...rest, annotations } : rest;
  const { [LAST_APPLIED]: _copy, ...kept } = annotations;
  return Object.keys(kept).length > 0 ? { ...rest, annotations: kept } : rest;
}
