// Chaos scenarios 1-7 of issue #16 on the real-node cluster (test/cluster/real-node.sh): Kubeless
// installed by its chart (two controller replicas, so a leader can be killed), a Node.js Function
// with two pods answering continuous calls, and the faults of scenarios/*. One after another, in
// the order; each records its row of the table (results.ts). Skipped, saying why, where
// the machine cannot run the real node (test/e2e/helpers/real-node.ts decideRealNode).
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  decideRealNode,
  installKubelessChart,
  machineFacts,
  realNode,
  realNodeStateDir,
} from '../e2e/helpers/real-node.js';
import { CallLoop, ECHO_CODE, HOG_CODE } from './lib/calls.js';
import { ensureNamespace, functionReady, putFunction } from './lib/fixtures.js';
import { closeClient } from './lib/kube.js';
import { recordResult } from './results.js';
import { apiPodScenario } from './scenarios/api-pod.js';
import { containerdScenario } from './scenarios/containerd.js';
import { controlPlaneScenario } from './scenarios/control-plane.js';
import { leaderScenario } from './scenarios/leader.js';
import { oomScenario } from './scenarios/oom.js';
import type { ScenarioRun } from './scenarios/types.js';
import { webhookScenario } from './scenarios/webhook.js';

const decision = decideRealNode(machineFacts());
const SCENARIOS: [number, string][] = [
  [1, 'controller leader killed every few seconds, 200 Functions churned'],
  [2, 'one of two kubeless api pods killed during invoke calls'],
  [3, 'both webhook pods down'],
  [4, 'kube-apiserver restarted during calls and churn'],
  [5, 'etcd restarted during calls and churn'],
  [6, 'containerd killed on the node during calls'],
  [7, 'function pod OOM-killed under load'],
];
if (!decision.run) {
  process.stderr.write(`[chaos] real-node scenarios skipped: ${decision.why}\n`);
  for (const [id, scenario] of SCENARIOS) {
    recordResult({
      id,
      scenario,
      tallies: [],
      recoverySeconds: undefined,
      notes: `skipped: ${decision.why}`,
      outcome: 'skipped',
    });
  }
  if (decision.fail) throw new Error(`KUBELESS_E2E_REAL_NODE=1 but ${decision.why}`);
}
const suite = decision.run ? describe : describe.skip;

// A cold machine builds the node and the images first (see docs/testing.md).
const UP_MS = 60 * 60_000;
jest.setTimeout(15 * 60_000);

beforeAll(
  async () => {
    if (!decision.run) return;
    // KUBELESS_CHAOS_REUSE=1 keeps a cluster that is up (with KUBELESS_E2E_KEEP_REAL_NODE=1 from a
    // run before): for working on one scenario without a restart each time.
    if (process.env.KUBELESS_CHAOS_REUSE !== '1' || !existsSync(join(realNodeStateDir, 'node.json'))) {
      await realNode('up', UP_MS);
    }
    await installKubelessChart(['controller.replicas=2']);
    await ensureNamespace('chaos');
    await putFunction('chaos', 'echo', {
      runtime: 'nodejs20',
      handler: 'echo.handler',
      function: ECHO_CODE,
      deployment: { spec: { replicas: 2 } },
    });
    await putFunction('chaos', 'hog', {
      runtime: 'nodejs20',
      handler: 'hog.handler',
      function: HOG_CODE,
      deployment: {
        spec: {
          template: {
            spec: {
              containers: [{ resources: { limits: { memory: '128Mi' }, requests: { memory: '64Mi' } } }],
            },
          },
        },
      },
    });
    await functionReady('chaos', 'echo', 300_000);
    // Ready can come while an older pod still answers (a kept cluster's echo had older code).
    const warmup = new CallLoop('chaos', 'echo').start();
    try {
      await warmup.steady(20);
    } finally {
      await warmup.stop();
    }
  },
  UP_MS + 10 * 60_000,
);

afterAll(async () => {
  closeClient();
  if (!decision.run || process.env.KUBELESS_E2E_KEEP_REAL_NODE === '1') return;
  await realNode('down', 300_000);
}, 360_000);

async function check(id: number, run: () => Promise<ScenarioRun>): Promise<void> {
  let outcome: ScenarioRun;
  try {
    outcome = await run();
  } catch (err) {
    const scenario = SCENARIOS.find(([n]) => n === id)?.[1] ?? `scenario ${id}`;
    recordResult({
      id,
      scenario,
      tallies: [],
      recoverySeconds: undefined,
      notes: `could not run: ${(err as Error).message}`,
      outcome: 'failed',
    });
    throw err;
  }
  recordResult(outcome.result);
  expect(outcome.failures).toEqual([]);
}

suite('chaos on the real node', () => {
  test('1: the controller leader killed every few seconds while 200 Functions churn', () =>
    check(1, leaderScenario));
  test('2: one of the two kubeless api pods killed during invoke calls', () => check(2, apiPodScenario));
  test('3: both webhook pods down', () => check(3, webhookScenario));
  test('4: kube-apiserver restarted during calls and reconciles', () =>
    check(4, () => controlPlaneScenario('kube-apiserver')));
  test('5: etcd restarted during calls and reconciles', () => check(5, () => controlPlaneScenario('etcd')));
  test('6: containerd killed on the node', () => check(6, containerdScenario));
  test('7: a function pod OOM-killed under load', () => check(7, oomScenario));
});
