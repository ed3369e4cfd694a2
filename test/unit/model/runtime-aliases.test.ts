// Old runtime ids (nodejs8, python27 ...) apply unchanged and run on the nearest shipped runtime.
import { describe, expect, it } from '@jest/globals';
import {
  CatalogError,
  DEFAULT_CATALOG,
  defaultCatalog,
  formatCatalog,
  legacyAliases,
  parseCatalog,
  resolveRuntime,
  type RuntimeInfo,
} from '../../../lib/catalog.js';
import { defaultFunction } from '../../../lib/function/defaults.js';
import { runtimeWarnings } from '../../../lib/function/runtime-warnings.js';
import { validateFunction } from '../../../lib/function/validate.js';
import type { KubelessFunction } from '../../../lib/types.js';
import { validFunction } from './fixtures.js';

const NOW = new Date('2026-01-01T00:00:00Z');

const ORIGINAL_NODEJS = [
  'nodejs6',
  'nodejs8',
  'nodejs10',
  'nodejs12',
  'nodejs14',
  'nodejs_distroless8',
  'nodejsCE8',
];
const ORIGINAL_PYTHON = [
  'python2.7',
  'python27',
  'python3.4',
  'python3.6',
  'python3.7',
  'python3.8',
  'python3.9',
  'python3.10',
];

describe('the default catalog maps the original ids to the nearest shipped runtime', () => {
  it.each(
    ORIGINAL_NODEJS.map((id) => [id, 'nodejs20']).concat(ORIGINAL_PYTHON.map((id) => [id, 'python3.11'])),
  )('%s runs on %s', (id, runs) => {
    expect(resolveRuntime(DEFAULT_CATALOG, id)).toEqual({
      runtime: expect.objectContaining({ id: runs }),
      alias: id,
    });
  });

  it('resolves shipped ids to themselves, without an alias, and unknown ids to nothing', () => {
    expect(resolveRuntime(DEFAULT_CATALOG, 'python3.12')).toEqual({
      runtime: expect.objectContaining({ id: 'python3.12' }),
    });
    expect(resolveRuntime(DEFAULT_CATALOG, 'ruby2.4')).toBeUndefined();
    expect(resolveRuntime(DEFAULT_CATALOG, 'toString')).toBeUndefined();
  });

  it('picks the oldest version at or above the old one, else the newest below, within the language', () => {
    const rt = (language: 'nodejs' | 'python', version: string): RuntimeInfo => ({
      id: `${language}${version}`,
      language,
      version,
      depsFile: '',
      suffix: '',
      images: { runtime: 'x', install: 'x' },
    });
    const aliases = legacyAliases([rt('python', '3.9'), rt('python', '3.13'), rt('nodejs', '12')]);
    expect(aliases['python3.6']).toBe('python3.9');
    expect(aliases['python3.10']).toBe('python3.13');
    // nodejs12 is in the catalog itself, so it is no alias; nodejs14 has nothing above it.
    expect(aliases.nodejs12).toBeUndefined();
    expect(aliases.nodejs8).toBe('nodejs12');
    expect(aliases.nodejs14).toBe('nodejs12');
  });
});

describe('a Function with an original id', () => {
  it.each([...ORIGINAL_NODEJS, ...ORIGINAL_PYTHON])(
    '%s validates, and defaulting keeps the id as written',
    (id) => {
      const fn = validFunction({ runtime: id, handler: 'handler.hello' });
      expect(validateFunction(fn, DEFAULT_CATALOG)).toEqual([]);
      const defaulted = defaultFunction(fn as unknown as KubelessFunction, DEFAULT_CATALOG);
      expect(defaulted.spec.runtime).toBe(id);
    },
  );

  it('gets a warning that names the runtime that runs it', () => {
    const [w, ...rest] = runtimeWarnings('python27', DEFAULT_CATALOG, NOW);
    expect(rest).toEqual([]);
    expect(w).toMatch(/spec\.runtime "python27" is no longer shipped; python3\.11\b.* runs this function/);
    expect(runtimeWarnings('python3.11', DEFAULT_CATALOG, NOW)).toEqual([]);
  });

  it('also gets the end-of-life warning of the runtime that runs it', () => {
    const w = runtimeWarnings('nodejs8', DEFAULT_CATALOG, new Date('2026-05-01'));
    expect(w).toHaveLength(2);
    expect(w[1]).toMatch(/nodejs20 reached its upstream end of life/);
  });
});

describe('aliases in a catalog ConfigMap', () => {
  const base =
    'runtimes:\n  - {id: python3.12, language: python, version: "3.12", images: {runtime: r/py}}\n';

  it('are read back as written, and the shipped catalog round-trips with its aliases', () => {
    expect(parseCatalog(`${base}aliases:\n  python27: python3.12\n`).aliases).toEqual({
      python27: 'python3.12',
    });
    expect(parseCatalog(formatCatalog(DEFAULT_CATALOG))).toEqual(DEFAULT_CATALOG);
    expect(defaultCatalog('r').aliases).toEqual(DEFAULT_CATALOG.aliases);
  });

  it.each([
    ['aliases: [python27]', /"aliases" must be a mapping/],
    [
      'aliases:\n  python27: python2.7',
      /alias "python27" points to "python2\.7", which is not a runtime id.*python3\.12/,
    ],
    ['aliases:\n  python3.12: python3.12', /alias "python3\.12" is also a runtime id/],
    ['aliases:\n  "bad id": python3.12', /alias "bad id" is not a runtime id/],
  ])('are refused with what to fix: %s', (extra, message) => {
    expect(() => parseCatalog(base + extra)).toThrow(CatalogError);
    expect(() => parseCatalog(base + extra)).toThrow(message);
  });
});
