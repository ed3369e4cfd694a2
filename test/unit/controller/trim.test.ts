import { describe, expect, test } from '@jest/globals';
import type { V1ConfigMap, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { ANNOTATION_APPLIED, isOwnedBy, ownerKey, upToDate } from '../../../controller/ownership.js';
import { computeStatus, podProblem } from '../../../controller/status.js';
import { LAST_APPLIED, trimInPlace, trimMeta } from '../../../controller/trim.js';
import { OWNER, makeFunction } from './fixtures.js';

// What the cache keeps must give the reconciler the same answers as the whole object: the same
// Ready condition, the same ownership and drift decisions. Objects here look like what the
// apiserver returns, managedFields and all.

const NOW = new Date('2026-01-01T00:00:00Z');
const clone = <T>(o: T): T => structuredClone(o);

const managedFields = [
  { manager: 'kubeless-controller', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } },
  {
    manager: 'kube-controller-manager',
    operation: 'Update',
    subresource: 'status',
    fieldsV1: { 'f:status': {} },
  },
];

function meta(extra: Record<string, string> = {}) {
  return {
    name: 'hello',
    namespace: 'team-a',
    uid: 'obj-uid',
    resourceVersion: '42',
    generation: 2,
    labels: { function: 'hello', 'created-by': 'kubeless' },
    annotations: { [ANNOTATION_APPLIED]: 'hash-1', ...extra },
    ownerReferences: [OWNER],
    managedFields,
  };
}

function deployment(status: V1Deployment['status'], replicas = 1): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(),
    spec: {
      replicas,
      selector: { matchLabels: { function: 'hello' } },
      template: {
        metadata: { labels: { function: 'hello' }, annotations: { 'kubeless.io/template-checksum': 'abc' } },
        spec: {
          containers: [
            { name: 'hello', image: 'kubeless/runtime-nodejs:20', env: [{ name: 'A', value: 'b' }] },
          ],
        },
      },
    },
    status,
  };
}

const condition = (type: string, status: string, reason: string, message = '') => ({
  type,
  status,
  reason,
  message,
  lastUpdateTime: NOW,
  lastTransitionTime: NOW,
});

const deployments: [string, V1Deployment][] = [
  [
    'available',
    deployment({
      observedGeneration: 2,
      replicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      updatedReplicas: 1,
      conditions: [condition('Available', 'True', 'MinimumReplicasAvailable')],
    }),
  ],
  [
    'rolling out',
    deployment({ observedGeneration: 1, replicas: 2, availableReplicas: 1, updatedReplicas: 1 }, 2),
  ],
  [
    'stuck',
    deployment({ conditions: [condition('Progressing', 'False', 'ProgressDeadlineExceeded', 'too slow')] }),
  ],
  ['scaled to zero', deployment({}, 0)],
  ['no status yet', deployment(undefined)],
];

const pods: [string, V1Pod][] = [
  [
    'image pull',
    {
      metadata: { name: 'hello-1', namespace: 'team-a', labels: { function: 'hello' }, managedFields },
      spec: { containers: [{ name: 'hello', image: 'x' }] },
      status: {
        phase: 'Pending',
        hostIP: '10.0.0.1',
        containerStatuses: [
          {
            name: 'hello',
            image: 'x',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } },
          },
        ],
      },
    },
  ],
  [
    'crash after a restart',
    {
      metadata: { name: 'hello-2', managedFields },
      status: {
        initContainerStatuses: [
          {
            name: 'prepare',
            image: 'k',
            imageID: 'sha',
            ready: true,
            restartCount: 0,
            state: { terminated: { exitCode: 0 } },
          },
        ],
        containerStatuses: [
          {
            name: 'hello',
            image: 'x',
            imageID: 'sha',
            ready: false,
            restartCount: 3,
            state: { terminated: { exitCode: 3, reason: 'Error', message: 'function failed to load' } },
            lastState: { terminated: { exitCode: 3 } },
          },
        ],
      },
    },
  ],
  [
    'unschedulable',
    {
      metadata: { name: 'hello-3' },
      status: {
        phase: 'Pending',
        conditions: [condition('PodScheduled', 'False', 'Unschedulable', '0/0 nodes')],
      },
    },
  ],
];

describe('trimInPlace keeps what the Ready condition is computed from', () => {
  for (const [what, full] of deployments) {
    for (const [podWhat, pod] of pods) {
      test(`Deployment ${what}, pod ${podWhat}: same status from the trimmed objects`, () => {
        const fn = makeFunction();
        const trimmedDeployment = trimInPlace(clone(full), 'Deployment');
        const trimmedPod = trimInPlace(clone(pod), 'Pod');
        expect(computeStatus(fn, { deployment: trimmedDeployment, pods: [trimmedPod] }, NOW)).toEqual(
          computeStatus(fn, { deployment: full, pods: [pod] }, NOW),
        );
      });
    }
  }

  test('pod problems survive trimming, and the pod spec and host details go', () => {
    for (const [, pod] of pods) {
      const trimmed = trimInPlace(clone(pod), 'Pod');
      expect(podProblem([trimmed])).toEqual(podProblem([pod]));
      expect(trimmed.spec).toBeUndefined();
      expect(trimmed.metadata?.managedFields).toBeUndefined();
      expect(JSON.stringify(trimmed)).not.toContain('10.0.0.1');
    }
  });

  test('a Deployment keeps its template checksum (rollout Events) and loses the pod spec', () => {
    const trimmed = trimInPlace(clone(deployments[0][1]), 'Deployment');
    expect(trimmed.spec?.template.metadata?.annotations?.['kubeless.io/template-checksum']).toBe('abc');
    expect(trimmed.spec?.template.spec).toBeUndefined();
    expect(JSON.stringify(trimmed)).not.toContain('lastUpdateTime');
  });
});

describe('trimInPlace keeps ownership and drift decisions', () => {
  const code = 'x'.repeat(200_000);
  const full: V1ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta({ [LAST_APPLIED]: JSON.stringify({ data: { 'hello.js': code } }), team: 'a' }),
    data: { 'hello.js': code, handler: 'hello.handler' },
    binaryData: { 'hello.zip': 'UEsDBA==' },
  };

  test('a ConfigMap with 200 kB of code is cached in under 1 kB, with the same owner and applied hash', () => {
    const trimmed = trimInPlace(clone(full), 'ConfigMap');
    expect(JSON.stringify(trimmed).length).toBeLessThan(1024);
    const fn = makeFunction();
    expect(isOwnedBy(trimmed, fn)).toBe(isOwnedBy(full, fn));
    expect(isOwnedBy(trimmed, fn)).toBe(true);
    expect(ownerKey(trimmed)).toBe('team-a/hello');
    const stamped = { metadata: { annotations: { [ANNOTATION_APPLIED]: 'hash-1' } } };
    expect(upToDate(trimmed, stamped)).toBe(true);
    expect(upToDate(trimmed, { metadata: { annotations: { [ANNOTATION_APPLIED]: 'hash-2' } } })).toBe(false);
    expect(trimmed.metadata?.labels).toEqual(full.metadata?.labels);
    expect(trimmed.metadata?.resourceVersion).toBe('42');
  });

  test('Services and HPAs keep only their metadata', () => {
    const svc = trimInPlace({ metadata: meta(), spec: { ports: [] }, status: {} } as never, 'Service');
    expect(svc).toEqual({ metadata: expect.objectContaining({ name: 'hello', ownerReferences: [OWNER] }) });
  });
});

describe('trimMeta', () => {
  test('drops managedFields and the last-applied copy, keeps every other annotation', () => {
    const trimmed = trimMeta(meta({ [LAST_APPLIED]: '{}', 'team.example/owner': 'a' }));
    expect(trimmed?.managedFields).toBeUndefined();
    expect(trimmed?.annotations).toEqual({ [ANNOTATION_APPLIED]: 'hash-1', 'team.example/owner': 'a' });
  });

  test('an object whose only annotation was the last-applied copy has no annotations left', () => {
    expect(trimMeta({ name: 'a', annotations: { [LAST_APPLIED]: '{}' } })).toEqual({ name: 'a' });
    expect(trimMeta({ name: 'a' })).toEqual({ name: 'a' });
    expect(trimMeta(undefined)).toBeUndefined();
  });
});
