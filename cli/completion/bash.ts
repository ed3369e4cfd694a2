// The bash completion script of `kubeless completion bash` (the original CLI had it, and users
// `source <(kubeless completion bash)` in their shell's rc file). Generated from the command tree
// itself, so it cannot drift from the flags. Pure: a tree in, the script out.
import type { Command } from 'commander';

/** Every command path (`' function deploy'`) with its words, and where each name or alias leads. */
function walk(cmd: Command, path: string, levels: Map<string, string[]>, steps: Map<string, string>): void {
  const subs = cmd.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
  const flags = cmd.options.filter((o) => !o.hidden).flatMap((o) => [o.long, o.short]);
  const words = [...subs.flatMap((c) => [c.name(), ...c.aliases()]), ...flags, '--help'];
  levels.set(
    path,
    words.filter((w): w is string => w !== undefined && w !== ''),
  );
  for (const sub of subs) {
    const to = `${path} ${sub.name()}`;
    for (const word of [sub.name(), ...sub.aliases()]) steps.set(`${path} ${word}`, to);
    walk(sub, to, levels, steps);
  }
}

/**
 * `topLevel` adds names the tree does not hold (the server commands, listed but not loaded, so
 * generating the script stays fast enough for a shell's rc file).
 */
export function bashCompletion(program: Command, topLevel: string[] = []): string {
  const levels = new Map<string, string[]>();
  const steps = new Map<string, string>();
  walk(program, '', levels, steps);
  levels.set('', [...new Set([...(levels.get('') ?? []), ...topLevel])]);
  // Command and flag names are the CLI's own (letters, digits, '-'): safe inside single quotes.
  const stepCases = [...steps].map(([from, to]) => `      '${from}') path='${to}' ;;`);
  const wordCases = [...levels].map(([path, words]) => `    '${path}') words='${words.join(' ')}' ;;`);
  return [
    '# bash completion for kubeless; load it with: source <(kubeless completion bash)',
    '_kubeless() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} path="" words="" i',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    case "$path ${COMP_WORDS[i]}" in',
    ...stepCases,
    '    esac',
    '  done',
    '  case "$path" in',
    ...wordCases,
    '  esac',
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    '}',
    'complete -o default -F _kubeless kubeless kubectl-kubeless',
    '',
  ].join('\n');
}
