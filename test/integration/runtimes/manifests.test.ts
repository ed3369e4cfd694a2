// The example manifests must stay valid Functions and carry exactly the example code.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import { validateFunction } from '../../../lib/function/validate.js';
import { EXAMPLES } from './harness.js';

const dir = path.join(EXAMPLES, 'manifests');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('example Function manifests', () => {
  it('cover every example in both languages', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s validates and matches its example source', (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const fn = YAML.parse(text) as { spec: { function: string; deps: string } };
    expect(validateFunction(fn, DEFAULT_CATALOG)).toEqual([]);
    const source = /^# Code from examples\/(\S+)/.exec(text)?.[1];
    expect(source).toBeDefined();
    expect(fn.spec.function).toBe(readFileSync(path.join(EXAMPLES, source!), 'utf8'));
    const depsFile = source!.includes('with-deps/')
      ? path.join(
          EXAMPLES,
          path.dirname(source!),
          source!.startsWith('nodejs') ? 'package.json' : 'requirements.txt',
        )
      : undefined;
    expect(fn.spec.deps).toBe(depsFile ? readFileSync(depsFile, 'utf8') : '');
  });
});
