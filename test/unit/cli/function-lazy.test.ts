// `kubeless function <sub>` loads only that sub-command's module (start-up time, issue 20), so
// the table of words in cli/commands/function.ts must name every sub-command and alias: a word it
// misses would still run, only by loading everything.
import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { FUNCTION_SUBCOMMANDS, functionCommands } from '../../../cli/commands/function.js';
import { newProgram, subcommandWord } from '../../../cli/lazy.js';

async function groupFor(word?: string): Promise<Command> {
  const program = newProgram();
  (await functionCommands(word)).register(program);
  return program.commands.find((c) => c.name() === 'function')!;
}
const wordsOf = (group: Command) => group.commands.flatMap((c) => [c.name(), ...c.aliases()]);

describe('the function group, loaded per sub-command', () => {
  it('finds the word after the group, also after help', () => {
    expect(subcommandWord(['node', 'kubeless', 'fn', 'call', 'x'])).toBe('call');
    expect(subcommandWord(['node', 'kubeless', 'help', 'function', 'logs'])).toBe('logs');
    expect(subcommandWord(['node', 'kubeless', 'function'])).toBeUndefined();
    expect(subcommandWord(undefined)).toBeUndefined();
  });

  it('names every sub-command and alias the modules register, and nothing else', async () => {
    const all = wordsOf(await groupFor());
    expect([...FUNCTION_SUBCOMMANDS.flatMap((s) => s.words)].sort()).toEqual([...all].sort());
  });

  it.each(FUNCTION_SUBCOMMANDS.flatMap((s) => s.words))(
    '`kubeless function %s` registers its own module only',
    async (word) => {
      const group = await groupFor(word);
      const own = FUNCTION_SUBCOMMANDS.find((s) => s.words.includes(word))!.words;
      expect(wordsOf(group)).toContain(word);
      expect([...wordsOf(group)].sort()).toEqual([...own].sort());
    },
  );

  it('a word it does not know (help, a typo) gets every sub-command, so commander can list or suggest', async () => {
    expect((await groupFor('--help')).commands.length).toBe((await groupFor()).commands.length);
    expect((await groupFor('cal')).commands.map((c) => c.name())).toContain('call');
  });
});
