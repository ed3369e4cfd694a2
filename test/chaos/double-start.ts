// Scenario 9's second half, the double start: a second `kubeless local` on a live instance's data
// dir must be refused (naming the pid and the port) before it touches anything. That is the local
// platform's own test (test/integration/local/data-dir-lock.test.ts); the chaos run includes the
// file and turns jest's verdict on it into a row of the table.
import type { ScenarioResult } from './results.js';

export const DOUBLE_START_TEST = 'test/integration/local/data-dir-lock.test.ts';

/** The part of jest's --json output read here. */
export interface JestFileResult {
  name: string;
  status: string;
  assertionResults: { title: string; status: string; failureMessages?: string[] }[];
}

export function doubleStartResult(files: readonly JestFileResult[]): ScenarioResult | undefined {
  const file = files.find((f) => f.name.endsWith(DOUBLE_START_TEST));
  if (!file) return undefined;
  const tests = file.assertionResults;
  const passed = tests.filter((t) => t.status === 'passed');
  const failed = tests.filter((t) => t.status === 'failed');
  const refusal = tests.find((t) => /refuses a second start/.test(t.title));
  return {
    id: 9,
    scenario: 'local platform: a second start on a live data dir',
    tallies: refusal
      ? [
          {
            unit: 'starts',
            made: 1,
            lost: refusal.status === 'passed' ? 0 : 1,
            failedClearly: refusal.status === 'passed' ? 1 : 0,
          },
        ]
      : [],
    recoverySeconds: undefined,
    notes:
      `${DOUBLE_START_TEST}: ${passed.length} of ${tests.length} cases passed (${tests.map((t) => `${t.title}: ${t.status}`).join('; ')}). ` +
      'Lost = the live instance lost a function process or code file; failed clearly = the second start was refused, naming the pid and port.',
    outcome:
      failed.length === 0 && passed.length > 0
        ? 'passed'
        : tests.every((t) => t.status !== 'failed')
          ? 'skipped'
          : 'failed',
  };
}
