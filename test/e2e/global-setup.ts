// Builds what is missing and brings the real control plane up once for all e2e suites (or reuses
// the one `npm run cluster:up` started).
import { ensureCluster } from './helpers/lifecycle.js';

export default async function globalSetup(): Promise<void> {
  // jest keeps globals set here for the teardown, which runs in the same process.
  (globalThis as { __kubelessE2EStarted?: boolean }).__kubelessE2EStarted = await ensureCluster();
}
