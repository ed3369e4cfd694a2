// What each chaos scenario measured, written as one JSON file per scenario into the run's results
// directory (KUBELESS_CHAOS_RESULTS, made by test/chaos/run.ts) and printed as one table at the end.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One kind of thing a scenario counted ("calls", "writes", "records"), with its figures. */
export interface Tally {
  unit: string;
  /** Calls or writes made while the fault happened. */
  made: number;
  /** Accepted writes missing at the end, or calls that got no answer, a wrong one, or an error without a message. */
  lost: number;
  /** Refused with an error that says what happened (a Kubernetes Status with a message, a refused connection). */
  failedClearly: number;
}

export interface ScenarioResult {
  /** Issue #16's numbering, so the table keeps its order. */
  id: number;
  scenario: string;
  tallies: Tally[];
  /** Seconds from the end of the fault until everything served and converged again; undefined: not measured. */
  recoverySeconds: number | undefined;
  /** What the fault was, what the figures mean, what a client saw. */
  notes: string;
  /** passed: the scenario's expectations held; failed: they did not; skipped: it could not run here. */
  outcome: 'passed' | 'failed' | 'skipped';
}

export function resultsDir(): string | undefined {
  return process.env.KUBELESS_CHAOS_RESULTS || undefined;
}

/** Records a scenario's figures; without a results directory (a lone jest run) they are only printed. */
export function recordResult(result: ScenarioResult): void {
  process.stdout.write(`[chaos] ${formatTable([result])}\n`);
  const dir = resultsDir();
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${String(result.id).padStart(2, '0')}-${slug(result.scenario)}.json`),
    JSON.stringify(result),
  );
}

export function readResults(dir: string): ScenarioResult[] {
  return (
    readdirSync(dir)
      // Only the scenarios' files (NN-slug.json): run.ts keeps jest's own report in the same directory.
      .filter((f) => /^\d{2}-.*\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ScenarioResult)
      .sort((a, b) => a.id - b.id || a.scenario.localeCompare(b.scenario))
  );
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
}

function seconds(s: number | undefined): string {
  if (s === undefined) return '-';
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

function cell(r: ScenarioResult, figure: (t: Tally) => string): string {
  if (r.outcome === 'skipped' || r.tallies.length === 0) return '-';
  return r.tallies.map(figure).join(', ');
}

/** A Markdown table: scenario, calls or writes made, lost, failed with a clear error, recovery time. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const header = ['#', 'scenario', 'made', 'lost', 'failed with a clear error', 'recovery', 'outcome'];
  // One unit: bare numbers; several: each number with its unit.
  const figure = (r: ScenarioResult, n: (t: Tally) => number) => (t: Tally) =>
    r.tallies.length > 1 ? `${n(t)} ${t.unit}` : String(n(t));
  const rows = results.map((r) => [
    String(r.id),
    r.scenario,
    cell(r, (t) => `${t.made} ${t.unit}`),
    cell(
      r,
      figure(r, (t) => t.lost),
    ),
    cell(
      r,
      figure(r, (t) => t.failedClearly),
    ),
    seconds(r.recoverySeconds),
    r.outcome,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The notes under the table, one per scenario. */
export function formatNotes(results: readonly ScenarioResult[]): string {
  return results.map((r) => `${r.id}. ${r.scenario}: ${r.notes}`).join('\n');
}
