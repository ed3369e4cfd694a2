import type { V2HorizontalPodAutoscaler, V2HorizontalPodAutoscalerSpec } from '@kubernetes/client-node';
import type { KubelessFunction } from '../model.js';
import { toV2Metric } from './hpa-metrics.js';
import { nameOf, ownedMeta } from './meta.js';

export type AutoscalerSpec = Omit<V2HorizontalPodAutoscalerSpec, 'scaleTargetRef'>;

/**
 * The autoscaler a Function asks for, from `spec.horizontalPodAutoscaler` written as the original
 * Kubeless did: a whole HPA object whose `spec` holds the bounds and metrics (docs/adr/0012).
 * `undefined` when there is none or it has maxReplicas 0 (the empty HPA the original stored in
 * every Function), so an HPA made earlier is deleted and the Deployment keeps its replica count.
 */
export function autoscalerSpec(fn: KubelessFunction): AutoscalerSpec | undefined {
  const spec = fn.spec.horizontalPodAutoscaler?.spec;
  const max = spec?.maxReplicas;
  if (!spec || typeof max !== 'number' || max <= 0) return undefined;
  return {
    minReplicas: spec.minReplicas ?? 1,
    maxReplicas: max,
    ...(spec.metrics ? { metrics: spec.metrics.map((m) => toV2Metric(m)) } : {}),
    ...(spec.behavior ? { behavior: structuredClone(spec.behavior) } : {}),
  };
}

export function desiredHPA(fn: KubelessFunction): V2HorizontalPodAutoscaler | undefined {
  const spec = autoscalerSpec(fn);
  if (!spec) return undefined;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: ownedMeta(fn),
    // Whatever the user wrote, the autoscaler scales this Function's own Deployment.
    spec: { ...spec, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: nameOf(fn) } },
  };
}
