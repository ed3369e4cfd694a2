// The original Kubeless's own example functions and the verify steps of its Makefiles
// (kubeless/runtimes stable/nodejs and stable/python, kubeless/kubeless examples/), driven by our
// CLI against the local platform as a new user runs it: a fresh clone, `npm ci`, `npm start`
// with its defaults (port 8080, data in .kubeless/ inside the clone), no kubeconfig. The
// inventory and the cases left out are in test/helpers/original/. Nothing comes from GitHub;
// dependencies come from npm and PyPI, as the runtimes' install steps fetch them. The Kafka
// cases need a broker, which npm start's defaults do not have: they run on the real node.
// `npm run test:quickstart` (port 8080: one at a time per machine).
import { afterAll, beforeAll, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshPlatform, type FreshPlatform } from '../helpers/fresh-checkout.js';
import { FileServer, Files, testCa } from '../helpers/original/files.js';
import { localTarget } from '../helpers/original/local-target.js';
import { caseGroups, describeOriginalCases } from '../helpers/original/suite.js';
import type { Target } from '../helpers/original/target.js';

jest.setTimeout(600_000);

const work = mkdtempSync(path.join(tmpdir(), 'kubeless-compat-'));
// GitHub's stand-in serves https, as GitHub does: the local platform, like a cluster's default
// policy, fetches code from https URLs only. A user's machine trusts GitHub's CA in its trust
// store; here the platform and the CLI trust the test's CA the same way.
const ca = testCa(work, '127.0.0.1');
const machineEnv = { NODE_EXTRA_CA_CERTS: ca.caFile };
const server = new FileServer('127.0.0.1', ca.serving);
let fresh: FreshPlatform | undefined;
let target: Target;

beforeAll(async () => {
  await server.start();
  fresh = await freshPlatform({ machineEnv });
  target = localTarget({ checkout: fresh.checkout.dir, server: fresh.platform.url, machineEnv });
}, 1_800_000);

afterAll(async () => {
  await fresh?.close();
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describeOriginalCases('local', caseGroups(false), () => ({ target, files: new Files(work, server) }));
