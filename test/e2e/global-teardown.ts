// Stops the control plane after the e2e suites, but only if the global setup started it.
import { stopCluster } from './helpers/lifecycle.js';

export default async function globalTeardown(): Promise<void> {
  if ((globalThis as { __kubelessE2EStarted?: boolean }).__kubelessE2EStarted) stopCluster();
}
