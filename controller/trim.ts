import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';

// The informers keep every owned object in memory; at 1,000 Functions that is 5,000 objects,
// most of whose bytes (managedFields, pod specs, ConfigMap code) the reconciler never reads.
// These keep what it does read: identity, labels, annotations, owner references, generation,
// and for Deployments and Pods the parts of spec/status that status is computed from.

type Loose = KubernetesObject & { spec?: unknown; status?: unknown; data?: unknown };

function meta(m: V1ObjectMeta | undefined): V1ObjectMeta | undefined {
  if (!m) return m;
  const { managedFields: _dropped, ...rest } = m;
  return rest;
}

export type TrimKind = 'ConfigMap' | 'Service' | 'Deployment' | 'HorizontalPodAutoscaler' | 'Pod';

/** Cuts an informer's object down in place (the cache holds this very object) and returns it. */
export function trimInPlace<T extends KubernetesObject>(obj: T, kind: TrimKind): T {
  const o = obj as Loose;
  o.metadata = meta(o.metadata);
  if (kind === 'ConfigMap') delete o.data;
  if (kind === 'Service' || kind === 'HorizontalPodAutoscaler') delete o.spec;
  if (kind === 'Deployment') {
    const spec = o.spec as
      { replicas?: number; template?: { metadata?: { annotations?: Record<string, string> } } } | undefined;
    o.spec = spec && {
      replicas: spec.replicas,
      template: { metadata: { annotations: spec.template?.metadata?.annotations } },
    };
  }
  if (kind === 'Pod') delete o.spec;
  return obj;
}
