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

/** One line, at most `max` characters, for table cells holding multi-line text. */
export function oneLine(text: string | undefined, max: number): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
