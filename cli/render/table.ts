import { humanAge } from '../../lib/format/age.js';
/** Left-aligned columns separated by three spaces, as kubectl prints them. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Kubernetes-style short age: 45s, 3m20s, 25m, 5h10m, 20h, 3d4h, 12d, 2y. */
export function formatAge(from: string | undefined, now: Date): string {
  if (!from) return '<unknown>';
  const then = Date.parse(from);
  if (Number.isNaN(then)) return '<unknown>';
  return humanAge(now.getTime() - then);
}

/** Parses `--since`-style durations: `90`, `30s`, `5m`, `1h30m`; returns seconds. */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed);
  const re = /([0-9]+)(h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(re)) {
    if (match.index !== consumed) break;
    const n = Number(match[1]);
    total += match[2] === 'h' ? n * 3600 : match[2] === 'm' ? n * 60 : n;
    consumed += match[0].length;
  }
  if (consumed === 0 || consumed !== trimmed.length) {
    throw new Error(`invalid ${flag} "${text}": use a duration such as 30s, 5m or 1h30m`);
  }
  return total;
}

/** One line, at most `max` characters, for table cells holding multi-line text. */
export function oneLine(text: string | undefined, max: number): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
