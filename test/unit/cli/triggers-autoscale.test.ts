import { describe, expect, it } from '@jest/globals';
import { autoscaleSpec, autoscalerObject } from '../../../cli/commands/autoscale-spec.js';

describe('autoscale flags', () => {
  it('defaults to cpu 70% from 1 replica', () => {
    expect(autoscaleSpec({ max: '5' })).toEqual({
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    });
  });

  it('builds a per-pod qps target', () => {
    const s = autoscaleSpec({ min: '2', max: '4', metric: 'qps', value: '10' });
    expect(s.metrics?.[0]?.pods?.target).toEqual({ type: 'AverageValue', averageValue: '10' });
    expect(s.minReplicas).toBe(2);
  });

  it('wraps the spec in a whole HPA object, the shape the original Kubeless stored and the controller reads', () => {
    const spec = autoscaleSpec({ max: '3' });
    expect(autoscalerObject('hello', 'team', spec)).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'hello', namespace: 'team' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello' }, ...spec },
    });
  });

  it('explains bad bounds, values and metrics', () => {
    expect(() => autoscaleSpec({ min: '3', max: '2' })).toThrow(/--max \(2\) must be at least --min \(3\)/);
    expect(() => autoscaleSpec({ max: 'x' })).toThrow(/--max must be a whole number/);
    expect(() => autoscaleSpec({ max: '2', metric: 'qps' })).toThrow(/--value/);
    expect(() => autoscaleSpec({ max: '2', metric: 'memory' })).toThrow(/choose cpu or qps/);
  });
});
