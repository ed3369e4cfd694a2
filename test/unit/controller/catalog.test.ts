import { describe, expect, test } from '@jest/globals';
import { findRuntime, parseCatalog } from '../../../controller/catalog.js';
import { NODE } from './fixtures.js';

describe('parseCatalog', () => {
  test('reads YAML and JSON', () => {
    expect(parseCatalog(JSON.stringify({ runtimes: [NODE] }))).toEqual({ runtimes: [NODE] });
    const yaml = `runtimes:\n  - id: nodejs20\n    language: nodejs\n    version: "20"\n    depsFile: package.json\n    suffix: .js\n    images: { runtime: "kubeless/nodejs20:1", install: "kubeless/nodejs20:1" }\n`;
    expect(findRuntime(parseCatalog(yaml), 'nodejs20')).toEqual(NODE);
  });

  test('names the broken entry and the fields it needs', () => {
    expect(() => parseCatalog('runtimes:\n  - id: x\n')).toThrow(/runtimes\[0\] needs id, language/);
    expect(() => parseCatalog('other: 1')).toThrow(/"runtimes:" list/);
  });
});
