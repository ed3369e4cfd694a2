import { Command } from 'commander';
import { register } from './command.js';

/**
 * Entry point of `kubeless controller` alone (bin/kubeless.js picks it): the controller process
 * then loads none of the other subcommands' code (webhook, API server, local platform, Kafka,
 * CLI), about 29 MiB of resident memory it would otherwise carry for its whole life.
 */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('kubeless').showHelpAfterError('(run with --help for usage)');
  register(program);
  await program.parseAsync(argv);
}
