// The flag tables of docs/ are the commands' own --help: a flag in --help missing from the docs, a
// documented flag that no longer exists, or a changed default or description fails here, with
// the fix (`npm run docs:flags`). Every command a user can run has its table somewhere in docs/.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Command, Option } from 'commander';
import {
  blockFor,
  blockNames,
  CLI_FLAG_GROUPS,
  documentedCommands,
  renderBlocks,
} from '../../../scripts/docs/flag-tables.js';
import { fullProgram } from '../../../scripts/docs/program.js';
import { projectPages, read } from './markdown.js';

// The pages `npm run docs:flags` writes.
const pages = projectPages().filter((p) => /^docs\/[^/]+\.md$/.test(p));
let program: Command;

// Every command module is loaded once (slow on a busy machine).
beforeAll(async () => {
  program = await fullProgram();
}, 120_000);

function tiny(): Command {
  const root = new Command('kubeless');
  root
    .command('thing')
    .description('do a thing')
    .option('--size <n>', 'how big', '3')
    .addOption(new Option('--mode <m>', 'how').choices(['a', 'b']).env('THING_MODE'))
    .addOption(new Option('--old', 'an older spelling').hideHelp());
  return root;
}

describe('flag tables', () => {
  it('list what --help lists: flags, env, defaults, choices; hidden flags left out', () => {
    const table = blockFor('thing', tiny(), [])!;
    expect(table).toContain('| `--size <n>` | | `3` | how big |');
    expect(table).toContain('| `--mode <m>` | `THING_MODE` | | how (one of: `a`, `b`) |');
    expect(table).not.toContain('--old');
  });

  it('differ from the page as soon as a flag is added, removed or its default changes', () => {
    const page = '<!-- flags: thing -->\n<!-- /flags -->\n';
    const written = renderBlocks(page, tiny(), []);
    expect(renderBlocks(written, tiny(), [])).toBe(written);
    const added = tiny();
    added.commands[0]!.option('--new', 'a new flag');
    expect(renderBlocks(written, added, [])).not.toBe(written);
    const changed = new Command('kubeless');
    changed.command('thing').description('do a thing').option('--size <n>', 'how big', '4');
    expect(renderBlocks(written, changed, [])).not.toBe(written);
    expect(() => renderBlocks('<!-- flags: gone -->\n<!-- /flags -->', tiny(), [])).toThrow(
      /no such command/,
    );
  });

  it.each(pages)("%s: every table equals the commands' --help (else run npm run docs:flags)", (page) => {
    const text = read(page);
    expect(renderBlocks(text, program)).toBe(text);
  });

  it('every command a user can run, and every shared flag group, has exactly one table in docs/', () => {
    const documented = pages.flatMap((p) => blockNames(read(p)));
    const wanted = [...documentedCommands(program).keys(), ...CLI_FLAG_GROUPS.map((g) => g.id)];
    expect([...documented].sort()).toEqual([...wanted].sort());
  });
});
