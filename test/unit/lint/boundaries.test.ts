// The import rules of docs/adr/0001, as `npm run lint` enforces them (eslint.config.js).
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('ADR 0001 import boundaries', () => {
  it.each<[string, string, RegExp]>([
    [
      'cli/commands/x.ts',
      "import { register } from '../../controller/command.js';",
      /components do not import each other.*CLI speaks/,
    ],
    [
      'cli/x.ts',
      "export const load = () => import('../local/command.js');",
      /components do not import each other/,
    ],
    [
      'controller/x.ts',
      "export { sendWarnings } from '../local/api/warnings.js';",
      /components do not import each other/,
    ],
    ['webhook/x.ts', "import { x } from '../api/request.js';", /components do not import each other/],
    ['lib/function/x.ts', "import { x } from '../../controller/model.js';", /lib imports no component/],
    [
      'runtimes/nodejs/x.ts',
      "import { x } from '../../lib/types.js';",
      /runtimes import nothing from the project/,
    ],
    [
      'local/x.ts',
      "import { main } from '../cli/main.js';",
      /local\/ composes the server components, not the CLI/,
    ],
  ])('refuses %s: %s', async (file, code, why) => {
    const errors = await boundaryErrors(file, `${code}\nexport const keep = 1;\n`);
    expect(errors).toEqual([expect.stringMatching(why)]);
  });

  it.each<[string, string]>([
    ['cli/commands/x.ts', "import { x } from '../../lib/function/labels.js';"],
    ['controller/desired/x.ts', "import { x } from '../model.js';"],
    ['local/x.ts', "import { x } from '../controller/reconcile.js';"],
    ['local/api/x.ts', "import { x } from '../controller/instance.js';"],
    ['main.ts', "export const load = () => import('./webhook/command.js');"],
    ['lib/x.ts', "import { x } from '../openapi/generated/schemas.js';"],
    ['runtimes/nodejs/x.ts', "import { x } from './serve.js';"],
  ])('allows %s: %s', async (file, code) => {
    expect(await boundaryErrors(file, `${code}\nexport const keep = 1;\n`)).toEqual([]);
  });
});
