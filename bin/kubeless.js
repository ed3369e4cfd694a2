#!/usr/bin/env node
// Entry point for the `kubeless` and `kubectl-kubeless` binaries; the code lives in dist/ (built
// by `npm ci`). dist/main.js loads only the code of the command that runs.
import { main } from '../dist/main.js';

main(process.argv).catch((err) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
