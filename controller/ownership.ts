import type { KubernetesObject } from '@kubernetes/client-node';
import { hashOf } from '../lib/format/canonical-hash.js';

export const ANNOTATION_APPLIED = 'kubeless.io/applied-hash';

/** What can own an object: a Function or a trigger, identified by kind and uid. */
export interface Owner {
  kind: string;
  metadata: { uid?: string };
}

/** An object is ours only if its controller owner reference names this very owner (same kind and uid). */
export function isOwnedBy(obj: KubernetesObject, owner: Owner): boolean {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller);
  return (
    ref !== undefined &&
    owner.metadata.uid !== undefined &&
    ref.uid === owner.metadata.uid &&
    ref.kind === owner.kind
  );
}

/** The desired object stamped with the hash of what it asks for, so an unchanged object is not re-applied. */
export function stamp<T extends KubernetesObject>(desired: T): T {
  const hash = hashOf(desired);
  return {
    ...desired,
    metadata: {
      ...desired.metadata,
      annotations: { ...desired.metadata?.annotations, [ANNOTATION_APPLIED]: hash },
    },
  };
}

export function upToDate(existing: KubernetesObject | undefined, stamped: KubernetesObject): boolean {
  const want = stamped.metadata?.annotations?.[ANNOTATION_APPLIED];
  return existing?.metadata?.annotations?.[ANNOTATION_APPLIED] === want && want !== undefined;
}

/**
 * An object a deleted Function of the same name left behind: names are unique, so a Function
 * owner with this name and another uid no longer exists, and the garbage collector is about to
 * remove the object. Recreating a Function right after deleting it meets these for a moment.
 */
export function isLeftoverOfNamesake(
  obj: KubernetesObject,
  owner: Owner & { metadata: { name?: string } },
): boolean {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller);
  return (
    ref !== undefined &&
    ref.kind === owner.kind &&
    ref.name === owner.metadata.name &&
    owner.metadata.uid !== undefined &&
    ref.uid !== owner.metadata.uid
  );
}

/** The key of the Function that controls an object, from its controller owner reference. */
export function ownerKey(obj: KubernetesObject): string | undefined {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === 'Function');
  if (!ref || !obj.metadata?.namespace) return undefined;
  return `${obj.metadata.namespace}/${ref.name}`;
}

export function conflictMessage(kind: string, namespace: string, name: string): string {
  return (
    `${kind} ${namespace}/${name} already exists and was not created by this Function; ` +
    `the controller will not take it over. Delete or rename that ${kind}, or give the Function another name`
  );
}
