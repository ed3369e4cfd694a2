// The jest shape both platforms share: per namespace, the Makefiles' `deploy` target for every
// case first, then one test per case running its -verify target, then the functions deleted.
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { examplesCases } from './cases-examples.js';
import { runtimesCases } from './cases-runtimes.js';
import type { Files } from './files.js';
import { knownFailure, knownFailures, type Platform } from './known-failures.js';
import { deployCase, verifyCase, type CaseContext, type StepOutcome } from './run-case.js';
import type { Target } from './target.js';
import type { OriginalCase } from './types.js';

/** The two Makefiles' function names overlap: each repository's cases get a namespace. */
export function caseGroups(withKafka: boolean): [string, OriginalCase[]][] {
  return [
    ['kubeless-runtimes', runtimesCases],
    ['kubeless-examples', examplesCases.filter((c) => withKafka || !c.kafka)],
  ];
}

/** `target` and `files` are read when the hooks run (the platform starts in the caller's beforeAll). */
export function describeOriginalCases(
  kind: Platform,
  groups: [string, OriginalCase[]][],
  platform: () => { target: Target; files: Files },
  run = true,
): void {
  const marked = knownFailures.filter((k) => k.platform === kind);
  if (run && marked.length > 0) {
    process.stderr.write(
      `[compat] ${marked.length} known failure(s) on ${kind}, run and expected to fail:\n` +
        marked.map((k) => `  ${k.namespace}/${k.id}: ${k.why}\n`).join(''),
    );
  }
  (run ? describe : describe.skip).each(groups)('namespace %s', (namespace, cases) => {
    const deployed = new Map<string, StepOutcome[]>();
    let ctx: CaseContext;

    beforeAll(async () => {
      ctx = { ...platform(), namespace };
      for (const c of cases) deployed.set(c.id, await deployCase(ctx, c));
    }, 900_000);

    afterAll(async () => {
      // Everything the targets created, whether or not each deploy got through (best effort: a
      // platform may not serve every kind).
      for (const resource of [
        'functions.kubeless.io',
        'cronjobtriggers.kubeless.io',
        'kafkatriggers.kubeless.io',
      ]) {
        await ctx.target.kubectl(
          ['delete', resource, '--all', '-n', namespace, '--ignore-not-found'],
          120_000,
        );
      }
    }, 300_000);

    for (const c of cases) {
      // Throws what failed, with the commands and their output.
      const verify = () => verifyCase(ctx, c, deployed.get(c.id) ?? []);
      const known = knownFailure(kind, namespace, c.id);
      if (known) {
        // The error still shows, so a known failure that now fails differently is seen.
        test.failing(`${c.id} [KNOWN FAILURE: ${known.why}]`, async () => {
          await verify().catch((err: unknown) => {
            process.stderr.write(`[compat] known failure ${namespace}/${c.id} failed: ${String(err)}\n`);
            throw err;
          });
        });
      } else test(c.id, verify);
    }
  });
}
