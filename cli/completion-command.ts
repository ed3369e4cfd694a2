// `kubeless completion bash`: the shell completion script, as the original CLI printed it. Beside
// main.ts rather than in commands/: it reads the command table itself.
import type { Command } from 'commander';
import { bashCompletion } from './completion/bash.js';
import { CliError } from './errors.js';
import { newProgram, type LazyCommand } from './lazy.js';
import { out } from './commands/options.js';

export function register(program: Command, table: LazyCommand[] = []): void {
  program
    .command('completion')
    .description('print the shell completion script (bash): source <(kubeless completion bash)')
    .argument('<shell>', 'bash')
    .action(async (shell: string) => {
      if (shell !== 'bash') throw new CliError(`no completion for "${shell}": only bash is supported`);
      // The user commands are loaded to read their flags; the server commands are only named.
      const { CLI_COMMANDS } = await import('./main.js');
      const tree = newProgram();
      for (const c of CLI_COMMANDS) (await c.load()).register(tree, table);
      const servers = table.filter((c) => !CLI_COMMANDS.some((u) => u.name === c.name)).map((c) => c.name);
      out(bashCompletion(tree, servers));
    });
}
