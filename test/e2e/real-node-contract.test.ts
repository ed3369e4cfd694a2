// The contract suite (test/contract/) on the cluster with a real node: the chart installed once,
// every Function of the cases created at once, each call made to kube-apiserver with the admin's
// client certificate, which hands invoke and log to `kubeless api` through the APIService, as
// kubectl does. The same cases run against `kubeless local` in test/integration/local/contract.test.ts.
// Same cluster and decision as real-node.test.ts (helpers/real-node.ts); it brings the cluster up
// and down itself, and prints how long each step took.
import { afterAll, beforeAll, describe, jest } from '@jest/globals';
import { apiDriver, type PlatformDriver } from '../contract/driver.js';
import { contractSuite } from '../contract/suite.js';
import {
  adminTls,
  installKubelessChart,
  REAL_NODE_UP_MS,
  realNode,
  realNodeDecision,
  realNodeInfo,
} from './helpers/real-node.js';

const decision = realNodeDecision('real-node contract suite');
const suite = decision.run ? describe : describe.skip;

jest.setTimeout(120_000);

let driver: PlatformDriver | undefined;
const started = Date.now();
const steps: string[] = [];
const step = (what: string, since: number): void => {
  steps.push(`${what} ${((Date.now() - since) / 1000).toFixed(0)}s`);
};

beforeAll(async () => {
  if (!decision.run) return;
  let t = Date.now();
  await realNode('up', REAL_NODE_UP_MS);
  step('up', t);
  t = Date.now();
  await installKubelessChart();
  step('helm install', t);
  driver = apiDriver('real-node', { base: realNodeInfo().server, tls: adminTls() }, 'e2e-contract', true);
}, REAL_NODE_UP_MS + 400_000);

afterAll(async () => {
  if (!decision.run) return;
  step('to the end of the cases', started);
  if (process.env.KUBELESS_E2E_KEEP_REAL_NODE !== '1') {
    const t = Date.now();
    await realNode('down', 300_000);
    step('down', t);
  }
  process.stderr.write(`[e2e] real-node contract suite: ${steps.join(', ')}\n`);
}, 360_000);

suite('the Function contract on a real node', () => {
  contractSuite(
    () => {
      if (!driver) throw new Error('the real-node cluster did not come up');
      return driver;
    },
    { readyTimeoutMs: 300_000, intervalMs: 1000 },
  );
});
