// README's "Tests" section tells users which test commands prove the project works, and .ci/run
// says it runs "the same test commands README.md gives users": a suite added to one and not the
// other fails here.
import { describe, expect, it } from '@jest/globals';
import { shellBlocksOfSection } from '../../quickstart/readme.js';
import { read } from './markdown.js';

/** `npm test` and `npm run test:*` commands named in shell text (comments left out). */
export function testCommands(shell: string): string[] {
  const found = new Set<string>();
  for (const line of shell.split('\n')) {
    const code = line.replace(/(^|\s)#.*$/, '');
    for (const m of code.matchAll(/\bnpm (test|run (test(?::[\w-]+)?))\b/g)) found.add(m[2] ?? m[1]!);
  }
  return [...found].sort();
}

describe("README's test commands and CI's", () => {
  it('reads commands, not comments', () => {
    expect(testCommands('npm test   # also npm run test:security\nX=1 npm run test:e2e -- a')).toEqual([
      'test',
      'test:e2e',
    ]);
  });

  it('.ci/run runs exactly the test commands of README\'s "Tests" section', () => {
    const readme = testCommands(shellBlocksOfSection(read('README.md'), 'Tests').join('\n'));
    expect(readme.length).toBeGreaterThan(0);
    expect(testCommands(read('.ci/run'))).toEqual(readme);
  });
});
