// `npm run generate`: writes the CRDs, the TypeScript types and the validator schemas from the
// documents in openapi/. Files in the generated folders that it no longer produces are removed.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_DIRS, generateAll } from './gen/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const files = await generateAll(root);
  const wanted = new Set(files.map((f) => f.path));
  for (const dir of GENERATED_DIRS) {
    await mkdir(path.join(root, dir), { recursive: true });
    for (const name of await readdir(path.join(root, dir))) {
      const rel = `${dir}/${name}`;
      if (!wanted.has(rel)) {
        await rm(path.join(root, rel), { recursive: true });
        console.log(`removed ${rel}`);
      }
    }
  }
  for (const file of files) {
    const target = path.join(root, file.path);
    const old = await readFile(target, 'utf8').catch(() => undefined);
    if (old === file.content) continue;
    await writeFile(target, file.content);
    console.log(`wrote ${file.path}`);
  }
}

main().catch((err: unknown) => {
  console.error(`generate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
