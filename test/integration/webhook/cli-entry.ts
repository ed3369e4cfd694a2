// Runs `kubeless webhook` from source (node --import tsx) with only the webhook subcommand, so the
// process tests do not depend on a build or on other components.
import { Command } from 'commander';
import { register } from '../../../webhook/command.js';

const program = new Command('kubeless');
register(program);
await program.parseAsync(process.argv);
