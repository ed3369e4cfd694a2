// Warnings about spec.runtime that do not refuse the Function: an old id that the catalog maps to
// a shipped runtime, and a runtime past its upstream end of life. The admission webhook and the
// local platform send them as Kubernetes warnings (kubectl prints "Warning: ..."); the CLI prints
// them for --dryrun.
import { resolveRuntime, type RuntimeCatalog } from '../catalog.js';

/** Upstream end-of-life dates of the language versions the catalog ships. */
export const RUNTIME_END_OF_LIFE: Readonly<Record<string, { date: string; successor: string }>> = {
  nodejs18: { date: '2025-04-30', successor: 'nodejs22' },
  nodejs20: { date: '2026-04-30', successor: 'nodejs22' },
  nodejs22: { date: '2027-04-30', successor: 'nodejs24' },
  'python3.9': { date: '2025-10-31', successor: 'python3.12' },
  'python3.10': { date: '2026-10-31', successor: 'python3.12' },
  'python3.11': { date: '2027-10-31', successor: 'python3.12' },
  'python3.12': { date: '2028-10-31', successor: 'python3.13' },
};

/** The warning that names what runs a Function written with an alias, e.g. `python27`. */
export function aliasWarning(written: string, runs: string, language: string): string {
  return (
    `spec.runtime ${JSON.stringify(written)} is no longer shipped; ${runs}, the nearest ${language} runtime in the catalog, runs this function ` +
    `(status.runtime says so; code that works only on the old version fails to load with its own error). ` +
    `Set spec.runtime: ${runs} to make it explicit`
  );
}

export function runtimeWarnings(runtime: unknown, catalog: RuntimeCatalog, now: Date): string[] {
  if (typeof runtime !== 'string' || runtime === '') return [];
  const resolved = resolveRuntime(catalog, runtime);
  const out: string[] = [];
  if (resolved?.alias) out.push(aliasWarning(runtime, resolved.runtime.id, resolved.runtime.language));
  const runs = resolved?.runtime.id ?? runtime;
  const eol = RUNTIME_END_OF_LIFE[runs];
  if (eol && now.getTime() >= Date.parse(eol.date)) {
    out.push(
      `spec.runtime ${runs} reached its upstream end of life on ${eol.date} and gets no security fixes; move to ${eol.successor}`,
    );
  }
  return out;
}
