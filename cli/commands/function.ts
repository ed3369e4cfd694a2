import { Command } from 'commander';
import { registerCallCommand } from './function-call.js';
import { registerWriteCommands } from './function-deploy.js';
import { registerLogsCommand } from './function-logs.js';
import { registerReadCommands } from './function-read.js';
import { registerTopCommand } from './function-top.js';

/** `kubeless function …` (alias `fn`): every command speaks only to the Kubernetes API. */
export function register(program: Command): void {
  const group = program
    .command('function')
    .alias('fn')
    .description('deploy, change, call and inspect functions through the Kubernetes API of your kubeconfig');
  registerWriteCommands(group);
  registerReadCommands(group);
  registerCallCommand(group);
  registerLogsCommand(group);
  registerTopCommand(group);
}
