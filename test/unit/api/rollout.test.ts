import { expect, test } from '@jest/globals';
import { rolloutOf } from '../../../api/kube.js';
import type { Condition } from '../../../lib/types.js';

const ready = (reason: string, at: string): Condition => ({
  type: 'Ready',
  status: 'True',
  reason,
  message: '',
  lastTransitionTime: at,
});
const fn = (generation: number, observed: number, reason = 'DeploymentAvailable', at = 't0') => ({
  metadata: { generation },
  spec: { timeout: '30' },
  status: { observedGeneration: observed, conditions: [ready(reason, at)] },
});

test("a Function's rollout identity changes when it is updated and when the controller has rolled it", () => {
  const settled = rolloutOf(fn(1, 1));
  expect(rolloutOf(fn(1, 1))).toBe(settled);
  // Updated: the old pods still serve, and keep serving old code on sockets kept from before.
  const updated = rolloutOf(fn(2, 1));
  expect(updated).not.toBe(settled);
  // The controller saw the update, and the Ready condition moved when the new pods took over.
  expect(rolloutOf(fn(2, 2))).not.toBe(updated);
  expect(rolloutOf(fn(2, 2, 'DeploymentAvailable', 't1'))).not.toBe(rolloutOf(fn(2, 2)));
  expect(rolloutOf(fn(2, 2, 'Progressing'))).not.toBe(rolloutOf(fn(2, 2)));
});
