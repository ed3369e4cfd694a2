// The user commands of the `kubeless` CLI: each speaks only to the Kubernetes API (or, for `topic`,
// to Kafka brokers). Server components are not here: the root entry (main.ts) adds them.
import { Command } from 'commander';
import { newProgram, runLazy, subcommandWord, together, type LazyCommand } from './lazy.js';

export const CLI_COMMANDS: LazyCommand[] = [
  {
    name: 'version',
    summary: 'print the client version and, when reachable, the server version',
    load: () => import('./commands/version.js'),
  },
  {
    name: 'function',
    aliases: ['fn'],
    summary: 'deploy, change, call and inspect functions through the Kubernetes API of your kubeconfig',
    load: async (argv) => (await import('./commands/function.js')).functionCommands(subcommandWord(argv)),
  },
  {
    name: 'get-server-config',
    summary: "print the server's configuration: the runtimes it accepts",
    load: () => import('./commands/server-config.js'),
  },
  {
    name: 'topic',
    summary: 'manage Kafka topics and publish messages (speaks to the brokers directly)',
    load: () => import('./commands/topic.js'),
  },
  {
    name: 'trigger',
    summary: 'manage triggers that call functions',
    load: () =>
      together(
        import('./commands/trigger-kafka.js'),
        import('./commands/trigger-http.js'),
        import('./commands/trigger-cronjob.js'),
        import('./commands/trigger-unsupported.js'),
      ),
  },
  {
    name: 'invoke',
    summary: "POST a payload with Kubeless event headers to a function's URL (used by CronJobTriggers)",
    load: () => import('./commands/invoke.js'),
  },
  {
    name: 'completion',
    summary: 'print the shell completion script (bash): source <(kubeless completion bash)',
    load: () => import('./completion-command.js'),
  },
  {
    name: 'autoscale',
    summary: 'autoscale functions (a HorizontalPodAutoscaler per function)',
    load: () => import('./commands/autoscale.js'),
  },
];

/** Every CLI command loaded and registered (for tests that drive several commands in one process). */
export async function buildProgram(): Promise<Command> {
  const program = newProgram();
  for (const c of CLI_COMMANDS) (await c.load()).register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await runLazy(argv, CLI_COMMANDS);
}
