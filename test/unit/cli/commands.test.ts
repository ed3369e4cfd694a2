// The root entry lists every command from its table without loading them; the table must say what
// the commands themselves say, and `--help` must keep listing every one of them.
import { describe, expect, it } from '@jest/globals';
import { Command } from 'commander';
import { chosenCommand, newProgram } from '../../../cli/lazy.js';
import { CLI_COMMANDS } from '../../../cli/main.js';
import { COMMANDS } from '../../../main.js';

describe('the root command table', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s: its summary and aliases are the command’s own',
    async (name, entry) => {
      const program = newProgram();
      (await entry.load()).register(program);
      const cmd = program.commands.find((c: Command) => c.name() === name);
      expect(cmd).toBeDefined();
      expect(cmd?.description()).toBe(entry.summary);
      expect(cmd?.aliases()).toEqual(entry.aliases ?? []);
    },
  );

  it('lists every command of the original CLI and every server component', () => {
    expect(COMMANDS.map((c) => c.name).sort()).toEqual(
      [
        'api',
        'autoscale',
        'completion',
        'controller',
        'function',
        'get-server-config',
        'invoke',
        'kafka-trigger',
        'local',
        'prepare',
        'topic',
        'trigger',
        'version',
        'webhook',
      ].sort(),
    );
    expect(CLI_COMMANDS.every((c) => COMMANDS.includes(c))).toBe(true);
  });

  it('picks the command by name or alias, also after help', () => {
    const argv = (...words: string[]) => ['node', 'kubeless', ...words];
    expect(chosenCommand(argv('fn', 'call', 'x'), COMMANDS)?.name).toBe('function');
    expect(chosenCommand(argv('help', 'controller'), COMMANDS)?.name).toBe('controller');
    expect(chosenCommand(argv('--help'), COMMANDS)).toBeUndefined();
    expect(chosenCommand(argv(), COMMANDS)).toBeUndefined();
    expect(chosenCommand(argv('nosuch'), COMMANDS)).toBeUndefined();
  });
});
