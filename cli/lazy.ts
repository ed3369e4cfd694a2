// Commands whose code is loaded only when they run: `kubeless --help` lists every command from
// this table alone, and `kubeless function call` loads the function commands and nothing else.
import { Command } from 'commander';

export interface CommandModule {
  /** `table` is every command of the entry that runs (for `completion`, which names them all). */
  register(program: Command, table?: LazyCommand[]): void;
}

export interface LazyCommand {
  name: string;
  aliases?: string[];
  /** The command's description, as its module registers it (a unit test keeps them equal). */
  summary: string;
  /**
   * `argv` is the command line that runs, for a group that loads only the sub-command it names;
   * without it (completion, docs) everything is loaded.
   */
  load(argv?: string[]): Promise<CommandModule>;
}

export function newProgram(): Command {
  return new Command('kubeless')
    .description('Serverless functions on Kubernetes')
    .showHelpAfterError('(run with --help for usage)');
}

/** Loads several modules that register into one command group (e.g. `trigger`). */
export async function together(...loads: Promise<CommandModule>[]): Promise<CommandModule> {
  const modules = await Promise.all(loads);
  return { register: (program, table) => modules.forEach((m) => m.register(program, table)) };
}

/** The word after the command (`call` in `kubeless fn call x`, or in `kubeless help fn call`). */
export function subcommandWord(argv: string[] | undefined): string | undefined {
  if (argv === undefined) return undefined;
  return argv[2] === 'help' ? argv[4] : argv[3];
}

/** The table entry `argv` runs (`kubeless <name> …` or `kubeless help <name>`), if any. */
export function chosenCommand(argv: string[], commands: LazyCommand[]): LazyCommand | undefined {
  const word = argv[2] === 'help' ? argv[3] : argv[2];
  if (word === undefined) return undefined;
  return commands.find((c) => c.name === word || (c.aliases ?? []).includes(word));
}

/**
 * Parses `argv` with only the chosen command's code loaded. Without one (`--help`, no argument,
 * a typo) every command is listed from the table, and commander explains what is wrong.
 */
export async function runLazy(argv: string[], commands: LazyCommand[]): Promise<void> {
  const program = newProgram();
  const chosen = chosenCommand(argv, commands);
  if (chosen) {
    (await chosen.load(argv)).register(program, commands);
  } else {
    for (const c of commands) {
      const stub = program.command(c.name).description(c.summary);
      for (const alias of c.aliases ?? []) stub.alias(alias);
    }
  }
  await program.parseAsync(argv);
}
