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
          maxReplicas: 4,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'elsewhere' },
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
            },
          ],
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
});
