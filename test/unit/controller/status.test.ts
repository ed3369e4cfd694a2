import { describe, expect, test } from '@jest/globals';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { computeStatus, lastRestart, podProblem } from '../../../controller/status.js';
import { statusChanged } from '../../../lib/k8s/conditions.js';
import { makeFunction } from './fixtures.js';

const NOW = new Date('2026-01-02T03:04:05.000Z');

function deployment(status: V1Deployment['status'], replicas = 1, generation = 1): V1Deployment {
  return { metadata: { generation }, spec: { replicas, selector: {}, template: {} }, status };
}

function pendingPod(): V1Pod {
  return {
    metadata: { name: 'hello-abc' },
    status: {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/0 nodes are available',
        },
      ],
    },
  };
}

function ready(fn = makeFunction(), observed: Parameters<typeof computeStatus>[1]) {
  return computeStatus(fn, observed, NOW).conditions?.find((c) => c.type === 'Ready');
}

describe('computeStatus', () => {
  test('Ready=True once the Deployment has rolled out and has available replicas', () => {
    const fn = makeFunction();
    const status = computeStatus(
      fn,
      {
        deployment: deployment({
          observedGeneration: 1,
          updatedReplicas: 1,
          availableReplicas: 1,
          readyReplicas: 1,
        }),
        pods: [],
      },
      NOW,
    );
    expect(status).toEqual({
      observedGeneration: 3,
      readyReplicas: 1,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'DeploymentAvailable',
          message: '1/1 replicas available',
          observedGeneration: 3,
          lastTransitionTime: NOW.toISOString(),
        },
      ],
    });
  });

  test('with no nodes, the pods’ scheduling failure is the reason', () => {
    const c = ready(undefined, {
      deployment: deployment({ observedGeneration: 1, replicas: 1 }),
      pods: [pendingPod()],
    });
    expect(c).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(c?.message).toContain('0/0 nodes are available');
  });

  test('a problem from the reconcile wins over the Deployment state', () => {
    const c = ready(undefined, {
      deployment: deployment({ availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1 }),
      pods: [],
      problem: { reason: 'ResourceConflict', message: 'ConfigMap exists' },
    });
    expect(c).toMatchObject({ status: 'False', reason: 'ResourceConflict', message: 'ConfigMap exists' });
  });

  test('a Deployment not yet observed at its generation is not Ready even with old replicas available', () => {
    const c = ready(undefined, {
      deployment: deployment({ observedGeneration: 1, updatedReplicas: 0, availableReplicas: 1 }, 1, 2),
      pods: [{ metadata: { name: 'p' }, status: { phase: 'Running' } }],
    });
    expect(c).toMatchObject({ status: 'False', reason: 'RolloutInProgress' });
  });

  test('a stalled rollout reports the Deployment’s own reason', () => {
    const c = ready(undefined, {
      deployment: deployment({
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'took too long',
          },
        ],
      }),
      pods: [],
    });
    expect(c).toMatchObject({ reason: 'ProgressDeadlineExceeded', message: 'took too long' });
  });

  test('missing Deployment, no pods and zero replicas each say so', () => {
    expect(ready(undefined, { pods: [] })?.reason).toBe('DeploymentMissing');
    expect(ready(undefined, { deployment: deployment({}), pods: [] })?.reason).toBe('NoPods');
    expect(ready(undefined, { deployment: deployment({}, 0), pods: [] })?.reason).toBe('ScaledToZero');
  });

  test('lastTransitionTime moves only when the status flips, and other conditions are kept', () => {
    const fn = makeFunction();
    const earlier = '2025-12-31T00:00:00.000Z';
    fn.status = {
      conditions: [
        { type: 'Ready', status: 'False', reason: 'NoPods', message: '', lastTransitionTime: earlier },
        { type: 'Other', status: 'True', reason: 'X', message: '', lastTransitionTime: earlier },
      ],
    };
    const same = computeStatus(fn, { deployment: deployment({}), pods: [pendingPod()] }, NOW);
    expect(same.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(earlier);
    expect(same.conditions?.find((c) => c.type === 'Other')).toBeDefined();
    const flipped = computeStatus(
      fn,
      {
        deployment: deployment({ observedGeneration: 1, updatedReplicas: 1, availableReplicas: 1 }),
        pods: [],
      },
      NOW,
    );
    expect(flipped.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(NOW.toISOString());
  });
});

describe('podProblem', () => {
  test('image pull and crash-loop reasons name the pod and container', () => {
    const pod: V1Pod = {
      metadata: { name: 'p1' },
      status: {
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
    };
    expect(podProblem([pod])).toEqual({
      reason: 'ImagePullBackOff',
      message: 'pod p1 container hello: Back-off pulling image "x"',
    });
  });

  test('a failed init container that already restarted is reported', () => {
    const pod: V1Pod = {
      metadata: { name: 'p2' },
      status: {
        initContainerStatuses: [
          {
            name: 'prepare',
            image: 'x',
            imageID: '',
            ready: false,
            restartCount: 2,
            state: { terminated: { exitCode: 1, reason: 'Error', message: 'checksum mismatch' } },
            lastState: { terminated: { exitCode: 1 } },
          },
        ],
      },
    };
    expect(podProblem([pod])).toEqual({
      reason: 'ContainerFailed',
      message: 'pod p2 container prepare exited with code 1: Error checksum mismatch',
    });
  });

  test('healthy pods give nothing', () => {
    expect(podProblem([{ metadata: { name: 'ok' }, status: { phase: 'Running' } }])).toBeUndefined();
  });
});

describe('statusChanged', () => {
  test('ignores key order, notices value changes', () => {
    expect(
      statusChanged({ readyReplicas: 1, observedGeneration: 2 }, { observedGeneration: 2, readyReplicas: 1 }),
    ).toBe(false);
    expect(statusChanged({ readyReplicas: 1 }, { readyReplicas: 2 })).toBe(true);
    expect(statusChanged(undefined, { readyReplicas: 0 })).toBe(true);
  });
});

test('status.runtime names the catalog runtime that runs the function, also when spec.runtime is an alias', () => {
  const fn = makeFunction();
  fn.spec.runtime = 'python27';
  expect(computeStatus(fn, { pods: [], runtime: 'python3.11' }, NOW).runtime).toBe('python3.11');
  expect(computeStatus(fn, { pods: [] }, NOW).runtime).toBeUndefined();
});

// Chaos scenario 7: a function container killed for exceeding its memory limit came back, and the
// Function's status said nothing ("1/1 replicas available"), nor did any Event on it.
describe('a container restarted after an OOM kill or a crash', () => {
  function restartedPod(
    name: string,
    terminated: { exitCode: number; reason?: string; finishedAt?: Date },
    restartCount = 1,
    waiting?: { reason: string; message?: string },
  ): V1Pod {
    return {
      metadata: { name },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'hog',
            image: 'x',
            imageID: 'x',
            ready: !waiting,
            restartCount,
            state: waiting ? { waiting } : { running: {} },
            lastState: { terminated },
          },
        ],
      },
    };
  }
  const at = (s: string) => new Date(`2026-01-02T03:0${s}.000Z`);

  test('the latest abnormal end is named, OOMKilled with its remedy', () => {
    const pods = [
      restartedPod('hog-a', { exitCode: 1, reason: 'Error', finishedAt: at('1:00') }),
      restartedPod('hog-b', { exitCode: 137, reason: 'OOMKilled', finishedAt: at('2:00') }, 2),
    ];
    expect(lastRestart(pods)).toEqual({
      reason: 'OOMKilled',
      message:
        "pod hog-b container hog was OOMKilled at 2026-01-02T03:02:00.000Z: it exceeded its memory limit (raise resources.limits.memory in the Function's spec.deployment, or use less memory); 2 restarts so far",
    });
    expect(lastRestart([pods[0]!])?.message).toBe(
      'pod hog-a container hog exited with code 1 (Error) at 2026-01-02T03:01:00.000Z; 1 restart so far',
    );
  });

  test('a clean exit is no news', () => {
    expect(lastRestart([restartedPod('hog-a', { exitCode: 0, reason: 'Completed' })])).toBeUndefined();
    expect(lastRestart([])).toBeUndefined();
  });

  test('Ready=True says the last restart; waiting in CrashLoopBackOff after an OOM kill is Ready=False OOMKilled', () => {
    const available = deployment({ observedGeneration: 1, updatedReplicas: 1, availableReplicas: 1 });
    const pod = restartedPod('hog-b', { exitCode: 137, reason: 'OOMKilled', finishedAt: at('2:00') });
    const up = ready(makeFunction(), { deployment: available, pods: [pod] });
    expect(up?.status).toBe('True');
    expect(up?.message).toMatch(
      /^1\/1 replicas available; last restart: pod hog-b container hog was OOMKilled/,
    );

    const backoff = restartedPod('hog-b', { exitCode: 137, reason: 'OOMKilled' }, 3, {
      reason: 'CrashLoopBackOff',
      message: 'back-off 40s restarting failed container',
    });
    const down = ready(makeFunction(), {
      deployment: deployment({ observedGeneration: 1, updatedReplicas: 1, availableReplicas: 0 }),
      pods: [backoff],
    });
    expect(down).toMatchObject({
      status: 'False',
      reason: 'OOMKilled',
      message:
        'pod hog-b container hog was OOMKilled (it exceeded its memory limit) and waits to restart: back-off 40s restarting failed container',
    });
  });
});
