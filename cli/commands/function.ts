// `kubeless function …` (alias `fn`): every command speaks only to the Kubernetes API. Only the
// module of the sub-command that runs is loaded (`kubeless function call` does not load deploy's
// archive and dependency handling, nor logs or top); help and unknown words load them all.
import type { Command } from 'commander';
import type { CommandModule } from '../lazy.js';

type Registrar = (group: Command) => void;

/** Each module's sub-commands, with every name and alias they register, in --help's order. */
export const FUNCTION_SUBCOMMANDS: { words: string[]; load: () => Promise<Registrar> }[] = [
  {
    words: ['deploy', 'update'],
    load: async () => (await import('./function-deploy.js')).registerWriteCommands,
  },
  {
    words: ['list', 'ls', 'describe', 'delete', 'rm'],
    load: async () => (await import('./function-read.js')).registerReadCommands,
  },
  { words: ['call'], load: async () => (await import('./function-call.js')).registerCallCommand },
  { words: ['logs'], load: async () => (await import('./function-logs.js')).registerLogsCommand },
  { words: ['top', 'stats'], load: async () => (await import('./function-top.js')).registerTopCommand },
];

/** The `function` group holding the sub-command `word` names, or all of them when it names none. */
export async function functionCommands(word?: string): Promise<CommandModule> {
  const chosen = FUNCTION_SUBCOMMANDS.find((s) => word !== undefined && s.words.includes(word));
  // One after the other: the modules share imports, and jest's ESM loader fails on parallel ones.
  const registrars: Registrar[] = [];
  for (const s of chosen ? [chosen] : FUNCTION_SUBCOMMANDS) registrars.push(await s.load());
  return {
    register(program) {
      const group = program
        .command('function')
        .alias('fn')
        .description(
          'deploy, change, call and inspect functions through the Kubernetes API of your kubeconfig',
        );
      for (const register of registrars) register(group);
    },
  };
}
