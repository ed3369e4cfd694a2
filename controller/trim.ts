import type { KubernetesObject } from '@kubernetes/client-node';

// The informers keep every owned object in memory; at 1,000 Functions that is 5,000 objects,
// most of whose bytes (managedFields, kubectl's last-applied copy, pod specs, ConfigMap code) the
// reconciler never reads. These keep what it does read: identity, labels, annotations, owner
// references, generation, and for Deployments and Pods the parts of spec/status that
// controller/status.ts computes the Ready condition from. Drift stays visible: the applied-hash
// annotation, labels and owner references are kept, and a deleted object is a watch event.

type Loose = KubernetesObject & { spec?: unknown; status?: unknown; data?: unknown; binaryData?: unknown };
type Dict = Record<string, unknown>;

import { trimMeta } from '../lib/k8s/meta.js';

export { LAST_APPLIED, trimMeta } from '../lib/k8s/meta.js';

/** Keeps only the listed keys that are present (no undefined-valued keys are added). */
function pick(obj: unknown, keys: readonly string[]): Dict | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const out: Dict = {};
  for (const k of keys) if ((obj as Dict)[k] !== undefined) out[k] = (obj as Dict)[k];
  return out;
}

const pickAll = (list: unknown, keys: readonly string[]) =>
  Array.isArray(list) ? list.map((item) => pick(item, keys)) : undefined;

const CONDITION = ['type', 'status', 'reason', 'message'] as const;
const DEPLOYMENT_STATUS = [
  'observedGeneration',
  'replicas',
  'readyReplicas',
  'availableReplicas',
  'updatedReplicas',
];
const CONTAINER_STATUS = ['name', 'state', 'lastState', 'ready', 'restartCount'] as const;

function trimDeployment(o: Loose): void {
  const spec = o.spec as { replicas?: number; template?: { metadata?: { annotations?: Dict } } } | undefined;
  o.spec = spec && {
    replicas: spec.replicas,
    template: { metadata: { annotations: spec.template?.metadata?.annotations } },
  };
  const status = o.status as Dict | undefined;
  if (status)
    o.status = { ...pick(status, DEPLOYMENT_STATUS), conditions: pickAll(status.conditions, CONDITION) };
}

function trimPod(o: Loose): void {
  delete o.spec;
  const status = o.status as Dict | undefined;
  if (!status) return;
  o.status = {
    phase: status.phase,
    conditions: pickAll(status.conditions, CONDITION),
    initContainerStatuses: pickAll(status.initContainerStatuses, CONTAINER_STATUS),
    containerStatuses: pickAll(status.containerStatuses, CONTAINER_STATUS),
  };
}

export type TrimKind = 'ConfigMap' | 'Service' | 'Deployment' | 'HorizontalPodAutoscaler' | 'Pod';

/** Cuts an informer's object down in place (the cache holds this very object) and returns it. */
export function trimInPlace<T extends KubernetesObject>(obj: T, kind: TrimKind): T {
  const o = obj as Loose;
  o.metadata = trimMeta(o.metadata);
  if (kind === 'ConfigMap') {
    delete o.data;
    delete o.binaryData;
  }
  if (kind === 'Service' || kind === 'HorizontalPodAutoscaler') {
    delete o.spec;
    delete o.status;
  }
  if (kind === 'Deployment') trimDeployment(o);
  if (kind === 'Pod') trimPod(o);
  return obj;
}
