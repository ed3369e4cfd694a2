// Pure bookkeeping for the supervisor: when a dead serving process is replaced and when the
// runtime gives up (so a crash loop surfaces as a failing pod rather than a silent spin).

export const EXIT_LOAD_FAILURE = 3;

export type ExitDecision =
  | { action: 'exit'; code: number; reason: string }
  | { action: 'restart'; delayMs: number }
  | { action: 'ignore' };

export interface ExitFacts {
  code: number | null;
  signal: string | null;
  /** The supervisor killed it on purpose (it was replaced after a watchdog report). */
  replaced: boolean;
  stopping: boolean;
  /** Other serving processes still alive. */
  others: number;
  /** Times of recent unexpected exits, newest last, in ms. */
  recentCrashes: number[];
  now: number;
}

export const CRASH_WINDOW_MS = 30_000;
export const MAX_CRASHES = 5;

export function onWorkerExit(f: ExitFacts): ExitDecision {
  if (f.stopping) {
    return f.others === 0 ? { action: 'exit', code: f.code ?? 0, reason: 'stopped' } : { action: 'ignore' };
  }
  if (f.replaced) return { action: 'ignore' };
  if (f.code === EXIT_LOAD_FAILURE) {
    return { action: 'exit', code: EXIT_LOAD_FAILURE, reason: 'the function failed to load' };
  }
  const recent = f.recentCrashes.filter((t) => f.now - t < CRASH_WINDOW_MS);
  if (recent.length >= MAX_CRASHES) {
    return {
      action: 'exit',
      code: 1,
      reason: `the serving process died ${recent.length + 1} times within ${CRASH_WINDOW_MS / 1000}s`,
    };
  }
  if (f.others > 0) return { action: 'ignore' };
  return { action: 'restart', delayMs: recent.length === 0 ? 0 : 100 * 2 ** recent.length };
}

/** The pool-mode line: `{"env": {...}}` with string values only. */
export function parsePoolConfig(line: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new Error(
      `pool config on stdin is not JSON (${(err as Error).message}); send one line {"env": {...}}`,
    );
  }
  const env = (parsed as { env?: unknown } | null)?.env;
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw new Error(
      'pool config on stdin has no "env" object; send one line {"env": {"FUNC_HANDLER": "..."}}',
    );
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (typeof v !== 'string') throw new Error(`pool config env.${k} must be a string, got ${typeof v}`);
    out[k] = v;
  }
  return out;
}
