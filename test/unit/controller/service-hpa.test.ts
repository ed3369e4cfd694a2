import { describe, expect, test } from '@jest/globals';
import { desiredHPA } from '../../../controller/desired/hpa.js';
import { desiredService } from '../../../controller/desired/service.js';
import { makeFunction, OWNER } from './fixtures.js';

describe('desiredService', () => {
  test('port 8080 named http-function-port, selecting the function’s pods', () => {
    expect(desiredService(makeFunction())).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'hello',
        namespace: 'team-a',
        labels: { app: 'greeter', function: 'hello', 'created-by': 'kubeless' },
        ownerReferences: [OWNER],
      },
      spec: {
        type: 'ClusterIP',
        ports: [{ name: 'http-function-port', port: 8080, targetPort: 8080, protocol: 'TCP' }],
        selector: { function: 'hello', 'created-by': 'kubeless' },
      },
    });
  });

  test('spec.service ports replace ours, so renumbering http-function-port gives one port', () => {
    const ports = [{ name: 'http-function-port', port: 9090, targetPort: 9090, protocol: 'TCP' }];
    const svc = desiredService(makeFunction({ service: { clusterIP: 'None', ports } }));
    expect(svc.spec?.ports).toEqual(ports);
    expect(svc.spec?.clusterIP).toBe('None');
    expect(svc.spec?.type).toBe('ClusterIP');
  });

  test('spec.service wins except the selector', () => {
    const svc = desiredService(makeFunction({ service: { type: 'NodePort', selector: { x: 'y' } } }));
    expect(svc.spec?.type).toBe('NodePort');
    expect(svc.spec?.selector).toEqual({ function: 'hello', 'created-by': 'kubeless' });
  });
});

describe('desiredHPA', () => {
  test('none without spec.horizontalPodAutoscaler', () => {
    expect(desiredHPA(makeFunction())).toBeUndefined();
  });

  test('targets the function’s Deployment whatever the user wrote', () => {
    const hpa = desiredHPA(
      makeFunction({
        horizontalPodAutoscaler: {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'ignored' },
          spec: {
            maxReplicas: 4,
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'elsewhere' },
            metrics: [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
              },
            ],
          },
        },
      }),
    );
    expect(hpa).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'hello',
        namespace: 'team-a',
        labels: { app: 'greeter', function: 'hello', 'created-by': 'kubeless' },
        ownerReferences: [OWNER],
      },
      spec: {
        maxReplicas: 4,
        minReplicas: 1,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello' },
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      },
    });
  });

  test('none for the empty HPA the original stored in every Function (maxReplicas 0)', () => {
    const stored = {
      metadata: { creationTimestamp: null },
      spec: { maxReplicas: 0, scaleTargetRef: { kind: '', name: '' } },
      status: { currentMetrics: null, currentReplicas: 0, desiredReplicas: 0 },
    };
    expect(desiredHPA(makeFunction({ horizontalPodAutoscaler: stored }))).toBeUndefined();
  });

  test('converts the original’s autoscaling/v2beta1 metrics to autoscaling/v2', () => {
    const metrics = [
      { type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 70 } },
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '200Mi' } },
      { type: 'Pods', pods: { metricName: 'function_calls', targetAverageValue: 5 } },
      {
        type: 'Object',
        object: {
          target: { kind: 'Service', name: 'hello' },
          metricName: 'function_calls',
          targetValue: '10k',
        },
      },
      {
        type: 'External',
        external: { metricName: 'queue_depth', metricSelector: { matchLabels: { q: 'a' } }, targetValue: 30 },
      },
    ];
    const hpa = desiredHPA(
      makeFunction({
        horizontalPodAutoscaler: {
          apiVersion: 'autoscaling/v2beta1',
          kind: 'HorizontalPodAutoscaler',
          spec: { minReplicas: 2, maxReplicas: 3, metrics },
        },
      }),
    );
    expect(hpa?.spec?.minReplicas).toBe(2);
    expect(hpa?.spec?.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } },
      },
      {
        type: 'Pods',
        pods: { metric: { name: 'function_calls' }, target: { type: 'AverageValue', averageValue: '5' } },
      },
      {
        type: 'Object',
        object: {
          describedObject: { kind: 'Service', name: 'hello' },
          metric: { name: 'function_calls' },
          target: { type: 'Value', value: '10k' },
        },
      },
      {
        type: 'External',
        external: {
          metric: { name: 'queue_depth', selector: { matchLabels: { q: 'a' } } },
          target: { type: 'Value', value: '30' },
        },
      },
    ]);
  });
});
