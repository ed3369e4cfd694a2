import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { KubelessFunction } from '../model.js';
import { nameOf, ownedMeta } from './meta.js';

/** `undefined` means the Function wants no autoscaler, so one the controller made earlier is deleted. */
export function desiredHPA(fn: KubelessFunction): V2HorizontalPodAutoscaler | undefined {
  const hpa = fn.spec.horizontalPodAutoscaler;
  if (!hpa) return undefined;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: ownedMeta(fn),
    spec: {
      ...structuredClone(hpa),
      minReplicas: hpa.minReplicas ?? 1,
      // Whatever the user wrote, the autoscaler scales this Function's own Deployment.
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: nameOf(fn) },
    },
  };
}
