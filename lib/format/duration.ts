// Durations as text, read the way Go's time.ParseDuration reads them ("1h30m", "250ms", "1.5s"):
// the form Kubernetes and its tools write, so a value copied from a CronJob, kubectl or a chart
// means the same thing here. Pure; lib/server/flags.ts builds the flag rules on top of it.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign, as Go accepts
  μs: 1e-3, // U+03BC Greek mu, as Go accepts
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const TERM = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/;

export interface DurationSyntax {
  /**
   * Accept `d` (24 h). Go does not, so text that a CronJob will parse (`@every ...`) must not;
   * flags do, because certificate lifetimes are written in days.
   */
  days?: boolean;
}

/**
 * Milliseconds of a duration such as `1h30m`, `250ms` or `1.5s`; `0` alone is zero as in Go.
 * Unsigned (nothing here runs backwards). Undefined when the text is not a duration, including a
 * bare number: whoever accepts one decides its unit.
 */
export function durationMs(text: string, syntax: DurationSyntax = {}): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  let rest = text;
  let total = 0;
  while (rest !== '') {
    const m = TERM.exec(rest);
    if (!m || (m[2] === 'd' && !syntax.days)) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return Number.isFinite(total) ? total : undefined;
}

/** The shortest exact text for whole milliseconds, for messages and defaults: 90000 → "1m30s". */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let text = '';
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return text;
}
