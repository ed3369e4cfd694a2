// The original CLI's NATS and Kinesis triggers: those controllers are not part of this Kubeless.
// The commands exist so an old script learns that, and what to use, instead of "unknown command".
import type { Command } from 'commander';
import { CliError } from '../errors.js';

const KINDS: [string, string][] = [
  ['nats', 'NATS'],
  ['kinesis', 'AWS Kinesis'],
];

export function register(program: Command): void {
  const trigger =
    program.commands.find((c) => c.name() === 'trigger') ??
    program.command('trigger').description('manage triggers that call functions');
  for (const [word, what] of KINDS) {
    trigger
      .command(word)
      .description(`${what} triggers of the original Kubeless: not supported here (says what to use)`)
      .argument('[args...]')
      .allowUnknownOption()
      .helpOption(false)
      .action(() => {
        throw new CliError(
          `${what} triggers are not part of this Kubeless, which has Kafka, HTTP and cron triggers: use \`kubeless trigger kafka create\` with a Kafka topic, or have your ${what} consumer call the function through its invoke subresource (\`kubeless function call\`)`,
        );
      });
  }
}
