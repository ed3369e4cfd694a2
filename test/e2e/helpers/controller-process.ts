// `kubeless controller` as a real process, started from the TypeScript sources with tsx so the
// suites do not depend on a fresh `npm run build`.
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './cluster.js';

const RUNNER = [
  "import { Command } from 'commander';",
  "import { register } from './controller/command.ts';",
  "const program = new Command('kubeless');",
  'register(program);',
  "await program.parseAsync(process.argv.slice(1), { from: 'user' });",
].join('\n');

/** Spawns `kubeless controller <args>` (stdout and stderr piped) with LOG_LEVEL `logLevel`. */
export function spawnController(args: string[], logLevel = 'debug'): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', RUNNER, '--', 'controller', ...args],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: logLevel },
    },
  );
}
