// Runs `kubeless kafka-trigger` straight from the TypeScript sources (through tsx), so the Kafka
// suites and the bench need no `npm run build` and test exactly the code in the tree.
import { Command } from 'commander';
import { register } from '../../kafka/command.js';

const program = new Command('kubeless');
register(program);
await program.parseAsync(process.argv);
