// The original Kubeless's own example functions and the verify steps of its Makefiles
// (kubeless/runtimes stable/nodejs and stable/python, kubeless/kubeless examples/), driven by our
// CLI against the local platform as `npm start` runs it with its defaults in a fresh checkout:
// port 8080, data dir .kubeless/ inside the checkout, no kubeconfig. The inventory, and the cases
// left out, are in test/helpers/original/. Nothing is fetched from GitHub; dependencies come
// from the npm and PyPI registries, as the runtimes' install steps fetch them. The Kafka cases
// need a broker, which npm start's defaults do not have: they run on the cluster.
import { afterAll, beforeAll, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileServer, Files } from '../../helpers/original/files.js';
import { localTarget } from '../../helpers/original/local-target.js';
import { caseGroups, describeOriginalCases, originalExamplesEnabled } from '../../helpers/original/suite.js';
import type { Target } from '../../helpers/original/target.js';
import { startFreshCheckout, type FreshCheckout } from './fresh-checkout-stand-in.js';

jest.setTimeout(600_000);

const work = mkdtempSync(path.join(tmpdir(), 'kubeless-compat-'));
const server = new FileServer('127.0.0.1');
let checkout: FreshCheckout | undefined;
let target: Target;

if (!originalExamplesEnabled) {
  process.stderr.write(
    '[compat] original examples suite skipped: set KUBELESS_ORIGINAL_EXAMPLES=1 to run it\n',
  );
}

beforeAll(async () => {
  if (!originalExamplesEnabled) return;
  await server.start();
  checkout = await startFreshCheckout();
  target = localTarget({ checkout: checkout.dir, server: checkout.url });
}, 1_800_000);

afterAll(async () => {
  await checkout?.stop();
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describeOriginalCases(
  caseGroups(false),
  () => ({ target, files: new Files(work, server) }),
  originalExamplesEnabled,
);
