// `npm run docs:flags`: rewrites the flag tables of docs/*.md (the blocks between
// `<!-- flags: <command> -->` and `<!-- /flags -->`) from the commands' own options, the ones
// --help prints. Run it after changing a flag; test/unit/docs/flag-tables.test.ts fails until then.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderBlocks } from './docs/flag-tables.js';
import { fullProgram } from './docs/program.js';

const docs = path.join(import.meta.dirname, '..', 'docs');
const program = await fullProgram();
for (const file of readdirSync(docs).filter((f) => f.endsWith('.md'))) {
  const page = path.join(docs, file);
  const before = readFileSync(page, 'utf8');
  const after = renderBlocks(before, program);
  if (after !== before) {
    writeFileSync(page, after);
    process.stdout.write(`docs/${file}: flag tables updated\n`);
  }
}
// Loading every command module may leave handles (e.g. a metrics registry's timers) open.
process.exit(0);
