import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import type { CronJobTrigger, HTTPTrigger } from '../../lib/types.js';

export type Trigger = HTTPTrigger | CronJobTrigger;

export const LABEL_TRIGGER = 'kubeless.io/trigger';
export const LABEL_FUNCTION = 'function';
export const LABEL_CREATED_BY = 'created-by';

export function triggerName(t: Trigger): string {
  const name = t.metadata.name;
  if (!name) throw new Error(`${t.kind} has no metadata.name; every stored trigger has one`);
  return name;
}

export function triggerNamespace(t: Trigger): string {
  return t.metadata.namespace ?? 'default';
}

/** Owned by the trigger (not the Function), so deleting the trigger lets the garbage collector remove what it made. */
export function triggerOwnerReference(t: Trigger): V1OwnerReference {
  const uid = t.metadata.uid;
  if (!uid) {
    throw new Error(
      `${t.kind} ${triggerNamespace(t)}/${triggerName(t)} has no uid; read it from the API server first`,
    );
  }
  return {
    apiVersion: t.apiVersion,
    kind: t.kind,
    name: triggerName(t),
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The trigger's own labels, plus the ones that say which trigger and Function an object belongs to. */
export function triggerOwnedMeta(t: Trigger): V1ObjectMeta {
  return {
    name: triggerName(t),
    namespace: triggerNamespace(t),
    labels: {
      ...(t.metadata.labels ?? {}),
      [LABEL_TRIGGER]: triggerName(t),
      [LABEL_FUNCTION]: t.spec['function-name'],
      [LABEL_CREATED_BY]: 'kubeless',
    },
    ownerReferences: [triggerOwnerReference(t)],
  };
}
