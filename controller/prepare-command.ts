import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_FETCH_LIMITS, materializeFunction, PrepareError } from '../lib/prepare/index.js';
import { INSTALL_VOLUME, SOURCE_DIR } from './config.js';
import { runtimeFromEnv, specFromSource } from './prepare-source.js';

interface PrepareFlags {
  source: string;
  target: string;
  runtime?: string;
  allowHttp?: boolean;
}

/** Regular files of the mounted ConfigMap (its `..data` links and hidden entries skipped). */
async function readSource(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of await readdir(dir)) {
    if (name.startsWith('.')) continue;
    files[name] = await readFile(path.join(dir, name), 'utf8');
  }
  return files;
}

/** `kubeless prepare`: the first init step of a function's pod. */
export function register(program: Command): void {
  program
    .command('prepare')
    .description("materialise a Function's code from its mounted ConfigMap (the pod's init step)")
    .option('--source <dir>', "where the Function's ConfigMap is mounted", SOURCE_DIR)
    .option('--target <dir>', 'where to write the code and dependency file', INSTALL_VOLUME)
    .addOption(new Option('--runtime <json>', 'runtime catalog entry (JSON)').env('KUBELESS_RUNTIME'))
    .option('--allow-http', 'download code from plain http:// URLs too (the operator allowed it)', false)
    .action(async (flags: PrepareFlags) => {
      try {
        const runtime = runtimeFromEnv(flags.runtime);
        const spec = specFromSource(await readSource(flags.source), runtime);
        await materializeFunction({
          spec,
          runtime,
          dir: flags.target,
          fetchLimits: { ...DEFAULT_FETCH_LIMITS, allowHttp: flags.allowHttp === true },
          // `kubectl logs <pod> -c prepare` is where a user looks when the code is not what they expected.
          onWarning: (message) =>
            process.stdout.write(
              `${JSON.stringify({ level: 'warn', msg: 'prepare warning', warning: message })}\n`,
            ),
        });
        process.stdout.write(
          `${JSON.stringify({ level: 'info', msg: 'function prepared', dir: flags.target })}\n`,
        );
      } catch (err) {
        const reason = err instanceof PrepareError ? err.reason : 'PrepareFailed';
        // The kubelet shows the last line as the container's termination message.
        process.stderr.write(
          `${JSON.stringify({ level: 'error', msg: 'prepare failed', reason, error: (err as Error).message })}\n`,
        );
        process.exitCode = 1;
      }
    });
}
