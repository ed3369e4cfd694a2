// `--dryrun` and `-o yaml|json` of the original CLI's trigger create/update: print the object and
// store nothing (create prints what it would send; update asks the server, with dryRun=All,
// what the trigger would become).
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { renderObject } from '../render/functions.js';
import { out } from './options.js';

export interface DryRunFlags {
  dryrun?: boolean;
  output?: string;
}

export function withDryRunFlags(cmd: Command): Command {
  return cmd
    .option('--dryrun', 'print the trigger and store nothing')
    .option('-o, --output <format>', 'yaml or json, for --dryrun', 'yaml');
}

export function dryRunFormat(flags: DryRunFlags): 'yaml' | 'json' {
  const format = flags.output ?? 'yaml';
  if (format !== 'yaml' && format !== 'json')
    throw new CliError(`invalid -o "${format}": choose yaml or json`);
  return format;
}

export async function printDryRun(flags: DryRunFlags, obj: unknown): Promise<void> {
  out(await renderObject(obj, dryRunFormat(flags)));
}
