#!/usr/bin/env node
// Entry point for the `kubeless` and `kubectl-kubeless` binaries; the code lives in dist/ (built by `npm ci`).
// Long-running servers load only their own subcommand: one image runs them all, and the code of
// every other subcommand would otherwise stay resident in each of them.
const servers = { controller: '../dist/controller/main.js' };
const arg = process.argv[2] ?? '';

async function load() {
  if (Object.hasOwn(servers, arg)) {
    try {
      return await import(servers[arg]);
    } catch (err) {
      // A dist/ built before that entry existed: the full CLI still runs every subcommand.
      if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes(servers[arg].slice(3)))
        throw err;
    }
  }
  return import('../dist/cli/main.js');
}

const { main } = await load();
main(process.argv).catch((err) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
