// README.md and docs/ are read in a clone of this repository (or on its GitHub page): every link
// must land on a file of the repository, and on a heading of it when it names one. A link that
// leaves the repository (a sibling checkout such as ../shared, or a web address) is a dead end
// for a reader of the clone.
import { describe, expect, it } from '@jest/globals';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { anchors, linkTargets, projectPages, read, root, slug } from './markdown.js';

function problemsOf(page: string): string[] {
  const text = read(page);
  const problems: string[] = [];
  if (text.includes('../shared')) problems.push('names ../shared, which is outside the repository');
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      problems.push(`${target}: leaves the repository`);
      continue;
    }
    const [file = '', anchor] = target.split('#');
    const resolved = file
      ? path.resolve(root, path.dirname(page), decodeURIComponent(file))
      : path.join(root, page);
    const relative = path.relative(root, resolved);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      problems.push(`${target}: leaves the repository`);
    } else if (!existsSync(resolved)) {
      problems.push(`${target}: no such file`);
    } else if (anchor !== undefined && statSync(resolved).isFile() && resolved.endsWith('.md')) {
      if (!anchors(read(relative)).has(anchor))
        problems.push(`${target}: ${relative} has no heading #${anchor}`);
    }
  }
  return problems;
}

describe('links of README.md and docs/', () => {
  it('finds the pages, and reads anchors as GitHub makes them', () => {
    expect(projectPages()).toEqual(
      expect.arrayContaining(['README.md', 'docs/cli.md', 'docs/adr/0001-layout-and-contracts.md']),
    );
    expect(slug('Faults on purpose: `npm run test:chaos`')).toBe('faults-on-purpose-npm-run-testchaos');
    expect([...anchors('# A\n```sh\n# not a heading\n```\n## A\n')]).toEqual(['a', 'a-1']);
  });

  it('catches a link out of the repository, a missing file and a missing heading', () => {
    expect(
      linkTargets('[x](../shared/A.md) [y](https://example.com) `[z](no.md)`\n```\n[w](in-code.md)\n```'),
    ).toEqual(['../shared/A.md', 'https://example.com', 'no.md']);
  });

  it.each(projectPages())('%s: every link lands in the repository', (page) => {
    expect(problemsOf(page)).toEqual([]);
  });
});
