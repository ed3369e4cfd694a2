import type { V2HorizontalPodAutoscalerSpec } from '@kubernetes/client-node';

export interface AutoscaleFlags {
  min?: string;
  max: string;
  metric?: string;
  value?: string;
}

function count(text: string, flag: string, least: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < least)
    throw new Error(`${flag} must be a whole number of at least ${least}, got "${text}"`);
  return n;
}

/**
 * The bounds and metrics of a Function's autoscaler (an autoscaling/v2 HPA spec without
 * scaleTargetRef). cpu is a utilisation percentage, as the original's `--metric cpu --value 70`;
 * qps is per-pod requests per second from a custom metric.
 */
export function autoscaleSpec(flags: AutoscaleFlags): Omit<V2HorizontalPodAutoscalerSpec, 'scaleTargetRef'> {
  const min = count(flags.min ?? '1', '--min', 1);
  const max = count(flags.max, '--max', 1);
  if (max < min) throw new Error(`--max (${max}) must be at least --min (${min})`);
  const metric = flags.metric ?? 'cpu';
  if (metric === 'cpu') {
    const value = count(flags.value ?? '70', '--value', 1);
    return {
      minReplicas: min,
      maxReplicas: max,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: value } },
        },
      ],
    };
  }
  if (metric === 'qps') {
    const value = count(flags.value ?? '', '--value', 1);
    return {
      minReplicas: min,
      maxReplicas: max,
      metrics: [
        {
          type: 'Pods',
          pods: {
            metric: { name: 'function_calls_per_second' },
            target: { type: 'AverageValue', averageValue: String(value) },
          },
        },
      ],
    };
  }
  throw new Error(`--metric "${metric}" is not supported: choose cpu or qps`);
}

export type AutoscaleSpec = ReturnType<typeof autoscaleSpec>;

/**
 * spec.horizontalPodAutoscaler as the original Kubeless wrote it and the controller reads it: a
 * whole HPA object around the spec (docs/adr/0012). The controller ignores metadata and always
 * targets the Function's Deployment; they are filled in so the object reads as what it makes.
 */
export function autoscalerObject(name: string, namespace: string, spec: AutoscaleSpec) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, ...spec },
  };
}
