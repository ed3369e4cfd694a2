import type { V2CrossVersionObjectReference, V2MetricSpec, V2MetricTarget } from '@kubernetes/client-node';

// The original Kubeless stored autoscaling/v2beta1 metrics (targetAverageUtilization,
// metricName, targetValue ...); autoscaling/v2, the only HPA API left, nests them as
// `metric` + `target`. Manifests written for the original keep working through this conversion.

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => v !== null && typeof v === 'object' && !Array.isArray(v);
const quantity = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;

/** v2beta1's three ways to give a target, as one v2 MetricTarget (undefined when none is given). */
function target(src: Loose): V2MetricTarget | undefined {
  if (typeof src.targetAverageUtilization === 'number') {
    return { type: 'Utilization', averageUtilization: src.targetAverageUtilization };
  }
  const average = quantity(src.targetAverageValue) ?? quantity(src.averageValue);
  if (average !== undefined) return { type: 'AverageValue', averageValue: average };
  const value = quantity(src.targetValue);
  if (value !== undefined) return { type: 'Value', value };
  return undefined;
}

function metricId(name: unknown, selector: unknown): { name: string; selector?: Loose } {
  return { name: String(name ?? ''), ...(isObject(selector) ? { selector } : {}) };
}

/** True when the source is already in autoscaling/v2 form (it has a typed `target`). */
function isV2(src: Loose): boolean {
  return isObject(src.target) && typeof src.target.type === 'string';
}

/**
 * One metric in autoscaling/v2 form. v2 metrics pass through unchanged; v2beta1 ones are
 * converted field by field; anything else passes through for kube-apiserver to judge, since its
 * error names the field better than a guess here would.
 */
export function toV2Metric(metric: Loose): V2MetricSpec {
  const type = String(metric.type ?? '');
  const key = type ? type.charAt(0).toLowerCase() + type.slice(1) : '';
  const src = metric[key];
  if (!isObject(src)) return metric as unknown as V2MetricSpec;
  if (type === 'Object') {
    if (isObject(src.describedObject)) return metric as unknown as V2MetricSpec;
    const t = target(src);
    if (!t) return metric as unknown as V2MetricSpec;
    return {
      type,
      object: {
        // v2beta1 called the described object `target`.
        describedObject: src.target as unknown as V2CrossVersionObjectReference,
        metric: metricId(src.metricName, src.selector),
        target: t,
      },
    };
  }
  if (isV2(src)) return metric as unknown as V2MetricSpec;
  const t = target(src);
  if (!t) return metric as unknown as V2MetricSpec;
  switch (type) {
    case 'Resource':
      return { type, resource: { name: String(src.name ?? ''), target: t } };
    case 'ContainerResource':
      return {
        type,
        containerResource: {
          name: String(src.name ?? ''),
          container: String(src.container ?? ''),
          target: t,
        },
      };
    case 'Pods':
      return { type, pods: { metric: metricId(src.metricName, src.selector), target: t } };
    case 'External':
      return { type, external: { metric: metricId(src.metricName, src.metricSelector), target: t } };
    default:
      return metric as unknown as V2MetricSpec;
  }
}
