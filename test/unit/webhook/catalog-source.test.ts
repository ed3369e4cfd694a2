import { expect, test } from '@jest/globals';
import { DEFAULT_CATALOG, formatCatalog, defaultCatalog } from '../../../lib/catalog.js';
import { nextCatalog } from '../../../webhook/catalog-source.js';

const custom = { runtimes: [...defaultCatalog('reg.example').runtimes.slice(0, 1)] };

test('no ConfigMap means the built-in catalog', () => {
  expect(nextCatalog(custom, undefined)).toEqual({ kind: 'absent', catalog: DEFAULT_CATALOG });
});

test('a valid ConfigMap replaces the catalog', () => {
  const update = nextCatalog(DEFAULT_CATALOG, formatCatalog(custom));
  expect(update.kind).toBe('loaded');
  expect(update.catalog.runtimes.map((r) => r.id)).toEqual(['nodejs20']);
});

test('a broken edit keeps the last good catalog and says what is wrong', () => {
  const update = nextCatalog(custom, 'runtimes: [{ id: "Bad Id" }]');
  expect(update).toMatchObject({ kind: 'rejected', catalog: custom });
  expect(update.kind === 'rejected' && update.error).toMatch(/runtimes\[0\]\.id/);
});
