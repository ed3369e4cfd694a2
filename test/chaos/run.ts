// `npm run test:chaos`: runs the chaos scenarios (jest project "chaos", one at a time), then prints
// the table of what each measured. Extra arguments go to jest (e.g. `-- -t leader`).
// KUBELESS_CHAOS_REPORT=<file> also writes the table there (Markdown).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { doubleStartResult, type JestFileResult } from './double-start.js';
import { formatNotes, formatTable, readResults } from './results.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeless-chaos-'));
const jestJson = join(dir, 'jest.json');
const jest = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    'node_modules/jest/bin/jest.js',
    '--selectProjects',
    'chaos',
    '--runInBand',
    '--json',
    '--outputFile',
    jestJson,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { ...process.env, KUBELESS_CHAOS_RESULTS: dir } },
);

const results = readResults(dir);
// The double-start case is the local platform's own integration test, run here again: its row
// comes from jest's verdict on that file.
if (existsSync(jestJson)) {
  const files = (JSON.parse(readFileSync(jestJson, 'utf8')) as { testResults: JestFileResult[] }).testResults;
  const row = doubleStartResult(files);
  if (row) results.push(row);
  results.sort((a, b) => a.id - b.id);
}
const report = [
  '## Chaos suite',
  '',
  formatTable(results),
  '',
  formatNotes(results),
  '',
  `(results: ${dir})`,
].join('\n');
process.stdout.write(`\n${report}\n`);
if (process.env.KUBELESS_CHAOS_REPORT) writeFileSync(process.env.KUBELESS_CHAOS_REPORT, `${report}\n`);
process.exitCode = jest.status ?? 1;
