// The flag tables of docs/, made from the same commander objects that print each command's
// --help, so the two cannot disagree: `npm run docs:flags` writes them, and a unit test fails when
// a table and --help differ (a flag added, removed, renamed, or its default or text changed).
// Pure: a command tree in, Markdown out.
import type { Command, Option } from 'commander';

/** Flags that many commands share: listed once in their own table, named under the others. */
export interface FlagGroup {
  /** The block that lists them, and the anchor of the heading above it (`### <title>`). */
  id: string;
  title: string;
  /** The command whose options are the reference (a command differing from it lists them all). */
  reference: string;
  longs: string[];
}

export const CLI_FLAG_GROUPS: FlagGroup[] = [
  {
    id: 'kubernetes-api-flags',
    title: 'Kubernetes API flags',
    reference: 'version',
    longs: ['--kubeconfig', '--context', '--namespace', '--request-timeout'],
  },
  {
    id: 'kafka-flags',
    title: 'Kafka flags',
    reference: 'topic list',
    longs: ['--brokers', '--tls', '--tls-ca'],
  },
];

const isHidden = (c: Command) => (c as Command & { _hidden?: boolean })._hidden === true;

/** Every command a user can see in --help, by its path without `kubeless` (`function deploy`). */
export function visibleCommands(program: Command): Map<string, Command> {
  const found = new Map<string, Command>();
  const walk = (cmd: Command, path: string) => {
    for (const sub of cmd.commands.filter((c) => !isHidden(c))) {
      const to = path ? `${path} ${sub.name()}` : sub.name();
      found.set(to, sub);
      walk(sub, to);
    }
  };
  walk(program, '');
  return found;
}

/** Commands that need a table: those a user runs (no sub-commands) or that take flags of their own. */
export function documentedCommands(program: Command): Map<string, Command> {
  return new Map(
    [...visibleCommands(program)].filter(([, c]) => c.commands.length === 0 || shownOptions(c).length > 0),
  );
}

const shownOptions = (cmd: Command): Option[] => cmd.options.filter((o) => !o.hidden);

/** A default as --help shows it, unless it is no information (an empty list, `false`, ""). */
function defaultOf(o: Option): string {
  if (o.defaultValueDescription) return o.defaultValueDescription;
  const v: unknown = o.defaultValue;
  if (v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0)) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Table cells hold no raw `|`, `<word>` is not read as an HTML tag, nor a cron schedule as emphasis. */
const cell = (text: string) =>
  text
    .replace(/\|/g, '\\|')
    .replace(/<(?=[A-Za-z/$])/g, '\\<')
    .replace(/\*/g, '\\*');
const code = (text: string) => (text ? `\`${text.replace(/\|/g, '\\|')}\`` : '');

function describe(o: Option): string {
  const choices = o.argChoices ? ` (one of: ${o.argChoices.map((c) => `\`${c}\``).join(', ')})` : '';
  return cell(o.description) + choices;
}

function table(options: Option[]): string[] {
  const env = options.some((o) => o.envVar);
  const header = env ? ['flag', 'env', 'default', 'what'] : ['flag', 'default', 'what'];
  const rows = options.map((o) =>
    env
      ? [code(o.flags), code(o.envVar ?? ''), code(defaultOf(o)), describe(o)]
      : [code(o.flags), code(defaultOf(o)), describe(o)],
  );
  return [header, header.map(() => '---'), ...rows].map((r) =>
    `| ${r.join(' | ')} |`.replace(/ {2,}\|/g, ' |'),
  );
}

const sameOption = (a: Option, b: Option) =>
  a.flags === b.flags &&
  a.description === b.description &&
  defaultOf(a) === defaultOf(b) &&
  a.envVar === b.envVar;

/** The groups whose every flag `cmd` has, exactly as the group's reference command has it. */
function foldedGroups(cmd: Command, groups: FlagGroup[], all: Map<string, Command>): FlagGroup[] {
  return groups.filter((g) => {
    const ref = all.get(g.reference);
    if (!ref) throw new Error(`flag group ${g.id}: no command "${g.reference}"`);
    return g.longs.every((long) => {
      const mine = cmd.options.find((o) => o.long === long);
      const theirs = ref.options.find((o) => o.long === long);
      return mine !== undefined && theirs !== undefined && sameOption(mine, theirs);
    });
  });
}

/** What a block `<!-- flags: <path> -->` holds for one command (or `<!-- flags: <group id> -->`). */
export function blockFor(
  name: string,
  program: Command,
  groups: FlagGroup[] = CLI_FLAG_GROUPS,
): string | undefined {
  const all = visibleCommands(program);
  const group = groups.find((g) => g.id === name);
  if (group) {
    const ref = all.get(group.reference);
    const options = group.longs.map((l) => ref?.options.find((o) => o.long === l));
    if (options.some((o) => o === undefined)) return undefined;
    return table(options as Option[]).join('\n');
  }
  const cmd = all.get(name);
  if (!cmd) return undefined;
  const folded = foldedGroups(cmd, groups, all);
  const foldedLongs = new Set(folded.flatMap((g) => g.longs));
  const own = shownOptions(cmd).filter((o) => !foldedLongs.has(o.long ?? ''));
  const lines = [`\`kubeless ${name} ${cmd.usage()}\`: ${cell(cmd.description())}`];
  if (own.length) lines.push('', ...table(own));
  if (folded.length) {
    lines.push('', `Also the ${folded.map((g) => `[${g.title}](#${g.id})`).join(' and ')}.`);
  } else if (!own.length) {
    lines.push('', 'No flags.');
  }
  return lines.join('\n');
}

const BLOCK = /<!-- flags: ([\w -]+?) -->\n[\s\S]*?<!-- \/flags -->/g;

/** The names of the blocks of a page, in order. */
export function blockNames(markdown: string): string[] {
  return [...markdown.matchAll(BLOCK)].map((m) => m[1]!);
}

/**
 * The page with each block's content made anew; an unknown name is an error naming the fix. A
 * group's flags are folded into a command's table only on a page that lists the group.
 */
export function renderBlocks(
  markdown: string,
  program: Command,
  groups: FlagGroup[] = CLI_FLAG_GROUPS,
): string {
  const names = new Set(blockNames(markdown));
  const onPage = groups.filter((g) => names.has(g.id));
  return markdown.replace(BLOCK, (_all, name: string) => {
    const body = blockFor(name, program, onPage);
    if (body === undefined) {
      throw new Error(
        `<!-- flags: ${name} -->: no such command or flag group (remove the block or fix its name)`,
      );
    }
    return `<!-- flags: ${name} -->\n${body}\n<!-- /flags -->`;
  });
}
