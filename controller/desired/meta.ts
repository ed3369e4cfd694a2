import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import type { KubelessFunction } from '../model.js';

export const LABEL_FUNCTION = 'function';
export const LABEL_CREATED_BY = 'created-by';
export const CREATED_BY = 'kubeless';
export const ANNOTATION_CHECKSUM = 'kubeless.io/template-checksum';

/** The labels that identify a Function's objects; the Service selector and the Deployment selector use them. */
export function identityLabels(fn: KubelessFunction): Record<string, string> {
  return { [LABEL_FUNCTION]: nameOf(fn), [LABEL_CREATED_BY]: CREATED_BY };
}

export function nameOf(fn: KubelessFunction): string {
  const name = fn.metadata.name;
  if (!name) throw new Error('Function has no metadata.name; every stored Function has one');
  return name;
}

export function namespaceOf(fn: KubelessFunction): string {
  return fn.metadata.namespace ?? 'default';
}

export function ownerReference(fn: KubelessFunction): V1OwnerReference {
  const uid = fn.metadata.uid;
  if (!uid)
    throw new Error(
      `Function ${namespaceOf(fn)}/${nameOf(fn)} has no uid; read it from the API server first`,
    );
  return {
    apiVersion: fn.apiVersion,
    kind: fn.kind,
    name: nameOf(fn),
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * The labels of an object the controller makes, pods included: `base` (what a spec.deployment
 * template gave), the Function's own labels over it, as the original controller merged them (so
 * `kubectl get pods -l <a label of the Function>` finds its pods), and the identity labels over
 * everything, since the selectors rely on them.
 */
export function objectLabels(
  fn: KubelessFunction,
  base: Record<string, string> = {},
): Record<string, string> {
  return { ...base, ...(fn.metadata.labels ?? {}), ...identityLabels(fn) };
}

/** Metadata shared by every object the controller makes (labels: see objectLabels). */
export function ownedMeta(fn: KubelessFunction): V1ObjectMeta {
  return {
    name: nameOf(fn),
    namespace: namespaceOf(fn),
    labels: objectLabels(fn),
    ownerReferences: [ownerReference(fn)],
  };
}
