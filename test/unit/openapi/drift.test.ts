import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type GeneratedFile, GENERATED_DIRS, generateAll } from '../../../scripts/gen/index.js';

const root = path.resolve('.');

describe('generated files', () => {
  let files: GeneratedFile[] = [];
  beforeAll(async () => {
    files = await generateAll(root);
  }, 60_000);

  it('are exactly what npm run generate produces from openapi/ (run it and commit when this fails)', () => {
    const committed = GENERATED_DIRS.flatMap((dir) =>
      readdirSync(path.join(root, dir)).map((name) => `${dir}/${name}`),
    ).sort();
    expect(committed).toEqual(files.map((f) => f.path).sort());
    for (const file of files) {
      const onDisk = readFileSync(path.join(root, file.path), 'utf8');
      // Compare as booleans first so a failure names the file instead of dumping 50 kB.
      expect({ file: file.path, upToDate: onDisk === file.content }).toEqual({
        file: file.path,
        upToDate: true,
      });
    }
  }, 60_000);

  it('come out the same on a second run', async () => {
    expect(await generateAll(root)).toEqual(files);
  }, 60_000);
});
