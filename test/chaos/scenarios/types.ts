import type { ScenarioResult } from '../results.js';

/** What a scenario hands back: its figures, and the expectations that did not hold (none: passed). */
export interface ScenarioRun {
  result: ScenarioResult;
  failures: string[];
}
