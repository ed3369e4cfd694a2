import { Command } from 'commander';
import { register as registerFunction } from './commands/function.js';
import { register as registerVersion } from './commands/version.js';
import { register as registerController } from '../controller/command.js';
import { register as registerPrepare } from '../controller/prepare-command.js';
import { register as registerKafkaTrigger } from '../kafka/command.js';
import { register as registerTopic } from './commands/topic.js';
import { register as registerTriggerKafka } from './commands/trigger-kafka.js';
import { register as registerWebhook } from '../webhook/command.js';
import { register as registerLocal } from '../local/command.js';
import { register as registerApi } from '../api/command.js';
import { register as registerInvoke } from './commands/invoke.js';
import { register as registerTriggerHttp } from './commands/trigger-http.js';
import { register as registerTriggerCronJob } from './commands/trigger-cronjob.js';
import { register as registerAutoscale } from './commands/autoscale.js';

// Each component registers its subcommand here; the program itself only parses and dispatches.
export function buildProgram(): Command {
  const program = new Command('kubeless')
    .description('Serverless functions on Kubernetes')
    .showHelpAfterError('(run with --help for usage)');
  registerVersion(program);
  registerFunction(program);
  registerController(program);
  registerPrepare(program);
  registerKafkaTrigger(program);
  registerTopic(program);
  registerTriggerKafka(program);
  registerWebhook(program);
  registerLocal(program);
  registerApi(program);
  registerInvoke(program);
  registerTriggerHttp(program);
  registerTriggerCronJob(program);
  registerAutoscale(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
