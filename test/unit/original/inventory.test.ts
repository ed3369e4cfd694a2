// The original-examples inventories are data that two slow suites run: mistakes in them (a
// fixture path that does not exist, two cases of one namespace with one id, an update of a
// function no earlier case deploys) should fail here in a second, not after a cluster came up.
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../../helpers/original/files.js';
import { knownFailures } from '../../helpers/original/known-failures.js';
import { leftOut } from '../../helpers/original/left-out.js';
import { caseGroups } from '../../helpers/original/suite.js';
import type { Arg, FileRef, OriginalCase, Step } from '../../helpers/original/types.js';

function fixturesOf(ref: FileRef): string[] {
  if ('fixture' in ref) return [ref.fixture];
  if ('archive' in ref) return ref.of;
  if ('url' in ref) return fixturesOf(ref.url);
  return [];
}

function argsOf(step: Step): Arg[] {
  if ('kubeless' in step) return step.kubeless;
  if ('kubectl' in step) return step.kubectl;
  return [step.apply];
}

function referencedFixtures(c: OriginalCase): string[] {
  const steps = [...c.deploy, ...(c.then ?? [])];
  const fromArgs = steps.flatMap(argsOf).flatMap((a) => (typeof a === 'string' ? [] : fixturesOf(a)));
  const fromForms = c.checks.flatMap((k) =>
    'multipart' in k ? k.multipart.flatMap((f) => ('file' in f ? [f.file] : [])) : [],
  );
  return [...fromArgs, ...fromForms];
}

const groups = caseGroups(true);

describe('original examples inventory', () => {
  it.each(groups)('namespace %s: every fixture a case names exists', (_ns, cases) => {
    const missing = cases.flatMap((c) =>
      referencedFixtures(c)
        .filter((f) => !existsSync(path.join(FIXTURES, f)))
        .map((f) => `${c.id}: ${f}`),
    );
    expect(missing).toEqual([]);
  });

  it.each(groups)('namespace %s: ids are unique and every case checks something', (_ns, cases) => {
    const ids = cases.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(cases.filter((c) => c.checks.length === 0).map((c) => c.id)).toEqual([]);
  });

  it.each(groups)(
    'namespace %s: a case that only updates follows one that deploys its function',
    (_ns, cases) => {
      const deployedBefore = (i: number, name: string): boolean =>
        cases.slice(0, i).some((c) => c.deploy.length > 0 && (c.name ?? c.id) === name);
      const orphans = cases
        .map((c, i) => ({ c, i }))
        .filter(({ c, i }) => c.deploy.length === 0 && !deployedBefore(i, c.name ?? c.id))
        .map(({ c }) => c.id);
      expect(orphans).toEqual([]);
    },
  );

  it('no target is both run and left out', () => {
    const run = new Set(groups.flatMap(([, cases]) => cases.map((c) => `${c.source} ${c.id}`)));
    const both = leftOut.flatMap((l) => l.targets.map((t) => `${l.source} ${t}`)).filter((t) => run.has(t));
    expect(both).toEqual([]);
  });

  it('every known failure names a case the platform runs, and says why', () => {
    const runs = (platform: string, ns: string, id: string): boolean =>
      caseGroups(platform === 'cluster').some(([n, cases]) => n === ns && cases.some((c) => c.id === id));
    const stale = knownFailures.filter((k) => !runs(k.platform, k.namespace, k.id) || k.why.trim() === '');
    expect(stale).toEqual([]);
  });
});
