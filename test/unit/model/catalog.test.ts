import { describe, expect, it } from '@jest/globals';
import {
  CatalogError,
  DEFAULT_CATALOG,
  defaultCatalog,
  findRuntime,
  formatCatalog,
  parseCatalog,
} from '../../../lib/catalog.js';

describe('runtime catalog', () => {
  it('ships nodejs20, nodejs22, python3.11 and python3.12 with their dependency files and suffixes', () => {
    expect(DEFAULT_CATALOG.runtimes.map((r) => r.id)).toEqual([
      'nodejs20',
      'nodejs22',
      'python3.11',
      'python3.12',
    ]);
    expect(findRuntime(DEFAULT_CATALOG, 'nodejs22')).toMatchObject({
      language: 'nodejs',
      version: '22',
      depsFile: 'package.json',
      suffix: '.js',
      images: { runtime: 'kubeless/runtime-nodejs:22', install: 'kubeless/runtime-nodejs:22' },
    });
    expect(findRuntime(DEFAULT_CATALOG, 'python3.11')).toMatchObject({
      depsFile: 'requirements.txt',
      suffix: '.py',
      images: { runtime: 'kubeless/runtime-python:3.11' },
    });
    expect(findRuntime(DEFAULT_CATALOG, 'nodejs6')).toBeUndefined();
  });

  it('puts the images under another registry', () => {
    const images = defaultCatalog('localhost:5000/team/').runtimes.map((r) => r.images.runtime);
    expect(images).toContain('localhost:5000/team/runtime-python:3.12');
  });

  it('reads back what it writes, filling depsFile, suffix and install image from the language', () => {
    expect(parseCatalog(formatCatalog(DEFAULT_CATALOG))).toEqual(DEFAULT_CATALOG);
    const parsed = parseCatalog(
      'runtimes:\n  - id: python3.10\n    language: python\n    version: 3.10\n    images:\n      runtime: r/py:3.10\n',
    );
    expect(parsed.runtimes[0]).toEqual({
      id: 'python3.10',
      language: 'python',
      version: '3.10',
      depsFile: 'requirements.txt',
      suffix: '.py',
      images: { runtime: 'r/py:3.10', install: 'r/py:3.10' },
    });
  });

  it.each([
    ['not: [valid', /not valid YAML/],
    ['runtimes: []', /non-empty "runtimes:" list/],
    [
      'runtimes:\n  - id: go1.22\n    language: go\n    version: "1.22"\n    images: {runtime: x}',
      /language must be "nodejs" or "python"/,
    ],
    [
      'runtimes:\n  - id: nodejs20\n    language: nodejs\n    version: "20"',
      /runtimes\[0\]\.images\.runtime is required/,
    ],
    [
      'runtimes:\n  - {id: nodejs20, language: nodejs, version: "20", images: {runtime: a}}\n  - {id: nodejs20, language: nodejs, version: "20", images: {runtime: b}}',
      /"nodejs20" appears twice/,
    ],
  ])('rejects a bad catalog with a message that says what to fix: %s', (text, message) => {
    expect(() => parseCatalog(text)).toThrow(CatalogError);
    expect(() => parseCatalog(text)).toThrow(message);
  });
});
