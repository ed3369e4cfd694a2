import { Command } from 'commander';
import { VERSION } from '../lib/version.js';

// Each component registers its subcommand here; the program itself only parses and dispatches.
export function buildProgram(): Command {
  const program = new Command('kubeless')
    .description('Serverless functions on Kubernetes')
    .showHelpAfterError('(run with --help for usage)');
  program
    .command('version')
    .description('print the client version')
    .action(() => {
      process.stdout.write(`kubeless ${VERSION}\n`);
    });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
