// The original Kubeless's example functions and the verify steps of its Makefiles (see
// test/helpers/original/) on the cluster with a real node: the chart installed with helm, our CLI
// and kubectl driving it as the Makefiles drove the original (rollout status, kubectl logs -l,
// kubectl exec, the Service through kubectl proxy). Files the original fetched from GitHub are
// served from this machine, and so is a Kafka broker for the pubsub cases. Runs where
// real-node.test.ts runs (helpers/real-node.ts decides); one real-node cluster at a time per
// machine.
import { afterAll, beforeAll, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterEnv } from './helpers/cluster.js';
import {
  decideRealNode,
  installKubelessChart,
  machineFacts,
  realNode,
  realNodeInfo,
} from './helpers/real-node.js';
import { startBroker, type Broker } from '../kafka/broker.js';
import { clusterTarget } from '../helpers/original/cluster-target.js';
import { FileServer, Files } from '../helpers/original/files.js';
import { caseGroups, describeOriginalCases } from '../helpers/original/suite.js';
import type { Target } from '../helpers/original/target.js';

const decision = decideRealNode(machineFacts());
if (!decision.run) {
  process.stderr.write(`[e2e] original examples on the real node skipped: ${decision.why}\n`);
  if (decision.fail) throw new Error(`KUBELESS_E2E_REAL_NODE=1 but ${decision.why}`);
}

const UP_MS = 50 * 60_000;
jest.setTimeout(600_000);

const work = mkdtempSync(join(tmpdir(), 'kubeless-compat-node-'));
let server: FileServer | undefined;
let broker: Broker | undefined;
let target: Target;

beforeAll(async () => {
  if (!decision.run) return;
  await realNode('up', UP_MS);
  const info = realNodeInfo();
  // The pubsub cases' broker runs on this machine, where the node's pods reach it.
  broker = await startBroker({ dataDir: join(work, 'kafka'), host: info.hostAddress });
  // The operator of this cluster runs the original's examples as one tenant: their files are
  // served over plain http by this machine and their topics (s3-python...) carry no namespace
  // prefix, so it widens the chart's defaults (docs/security.md).
  await installKubelessChart([
    'kafka.enabled=true',
    `kafka.brokers=${broker.bootstrap}`,
    'functionPolicy.allowHttpSources=true',
    'kafka.topicPolicy.default={*}',
  ]);
  server = new FileServer(info.hostAddress);
  await server.start();
  target = clusterTarget({
    env: clusterEnv(info),
    hostAddress: info.hostAddress,
    kafkaBrokers: broker.bootstrap,
  });
  for (const [ns] of caseGroups(true)) await target.kubectl(['create', 'namespace', ns]);
}, UP_MS + 400_000);

afterAll(async () => {
  await server?.stop();
  await broker?.stop();
  rmSync(work, { recursive: true, force: true });
  if (!decision.run || process.env.KUBELESS_E2E_KEEP_REAL_NODE === '1') return;
  await realNode('down', 300_000);
}, 360_000);

describeOriginalCases(
  'cluster',
  caseGroups(true),
  () => {
    if (!server) throw new Error('the file server did not start');
    return { target, files: new Files(work, server) };
  },
  decision.run,
);
