// Finds `producer | reader` pipelines in shell scripts whose reader may exit before it has read
// everything (grep -q/-m/-l, head, sed Nq ...). Under `set -o pipefail` the producer then dies of
// SIGPIPE (exit 141) and the whole pipeline fails although the reader found what it looked for:
// test/cluster/node-up.sh failed 5 of 200 starts so ("the sandbox image ... is not in containerd").
// The fix is always the same: capture the producer's output first, then search it.

export interface EarlyExitPipe {
  line: number;
  text: string;
  reader: string;
}

interface Reader {
  name: string;
  /** Matches the command of the pipeline stage. */
  command: RegExp;
  /** When set, one of the command's option words must match too. */
  option?: RegExp;
}

// Readers that may stop reading early. `grep -c`, plain `grep`, `wc`, `sort` read all of their
// input and are fine.
const EARLY_READERS: Reader[] = [
  {
    name: 'grep -q/-m/-l',
    command: /^grep\s/,
    option: /^(?:-[A-Za-z]*[qmlL]|--(?:quiet|silent|max-count|files-with))/,
  },
  { name: 'head', command: /^head(?:\s|$)/ },
  { name: 'sed ...q', command: /^sed\s+(?:-n\s+)?['"]?\d*q/ },
  // An exit in an END block comes after all input was read.
  { name: 'awk ... exit', command: /^awk\b(?:(?!END\s*\{).)*\bexit\b/ },
  { name: 'read', command: /^read(?:\s|$)/ },
];

/** Strips a trailing comment that is not inside quotes (good enough for these scripts). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return line.slice(0, i);
  }
  return line;
}

/** The option words of a command: every word after it that starts with '-', up to the first that does not. */
function optionsOf(cmd: string): string[] {
  const words = cmd.split(/\s+/).slice(1);
  const end = words.findIndex((w) => !w.startsWith('-'));
  return end === -1 ? words : words.slice(0, end);
}

function isEarlyReader(cmd: string, r: Reader): boolean {
  if (!r.command.test(cmd)) return false;
  return !r.option || optionsOf(cmd).some((o) => r.option?.test(o));
}

/** Every pipeline stage after a `|` (not `||`) whose command may exit early, with its line. */
export function findEarlyExitPipes(script: string): EarlyExitPipe[] {
  const found: EarlyExitPipe[] = [];
  script.split('\n').forEach((raw, index) => {
    const line = withoutComment(raw);
    // Split on single pipes only: `a || b` is not a pipeline, `|&` is.
    const stages = line.split(/(?<!\|)\|&?(?!\|)/);
    for (const stage of stages.slice(1)) {
      const cmd = stage.trim().replace(/^(?:sudo|command|exec|env)\s+/, '');
      const hit = EARLY_READERS.find((r) => isEarlyReader(cmd, r));
      if (hit) found.push({ line: index + 1, text: raw.trim(), reader: hit.name });
    }
  });
  return found;
}
