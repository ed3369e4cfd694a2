// Reads README.md's "Quick start" the way a user reads it: its ```sh blocks, each split into the
// commands one would paste, with the answer the README documents after `#` on the command's line.

export interface ShellCommand {
  /** The command as written (continuation lines and here-documents included). */
  text: string;
  /** The trailing `# ...` comment of its last line, else a `# ...:` line just above it, if any. */
  comment?: string;
}

/** The ```sh blocks of the section under `## <title>`, up to the next `## ` heading. */
export function shellBlocksOfSection(markdown: string, title: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  if (start === -1) throw new Error(`README.md has no "## ${title}" section`);
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const line of lines.slice(start + 1)) {
    if (current === undefined && line.startsWith('## ')) break;
    if (current === undefined && /^```(sh|bash|shell)\s*$/.test(line)) current = [];
    else if (current !== undefined && line.startsWith('```')) {
      blocks.push(current.join('\n'));
      current = undefined;
    } else current?.push(line);
  }
  return blocks;
}

/** True when `prefix` leaves no quote open (so a `#` after it starts a comment). */
function quotesClosed(prefix: string): boolean {
  let single = false;
  let double = false;
  for (const ch of prefix) {
    if (ch === "'" && !double) single = !single;
    else if (ch === '"' && !single) double = !double;
  }
  return !single && !double;
}

function splitComment(line: string): { code: string; comment?: string } {
  const re = /\s#\s*/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    if (quotesClosed(line.slice(0, m.index))) {
      return { code: line.slice(0, m.index).trimEnd(), comment: line.slice(m.index + m[0].length).trim() };
    }
  }
  return { code: line };
}

/** Splits a block into commands: `\` joins lines, `<<'EOF'` runs to its delimiter line. */
export function commandsOf(block: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  const lines = block.split('\n');
  let above: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    if (!trimmed) continue;
    if (trimmed.startsWith('#')) {
      above = trimmed.replace(/^#\s*/, '').replace(/:$/, '');
      continue;
    }
    const parts: string[] = [];
    let comment: string | undefined;
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      const heredoc = /<<-?\s*'?"?(\w+)'?"?/.exec(line);
      if (heredoc) {
        const end = lines.indexOf(heredoc[1]!, i + 1);
        if (end === -1) throw new Error(`here-document ${heredoc[1]} is not closed: ${line}`);
        parts.push(...lines.slice(i, end + 1));
        i = end;
        break;
      }
      if (line.trimEnd().endsWith('\\')) {
        parts.push(line);
        continue;
      }
      const split = splitComment(line);
      parts.push(split.code);
      comment = split.comment;
      break;
    }
    comment ??= above;
    above = undefined;
    commands.push(comment ? { text: parts.join('\n'), comment } : { text: parts.join('\n') });
  }
  return commands;
}

/** Whitespace-insensitive: README aligns columns and wraps JSON by hand. */
export function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
