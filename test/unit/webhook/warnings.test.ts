import { expect, test } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import { functionWarnings, triggerWarnings } from '../../../webhook/warnings.js';

const fn = (spec: Record<string, unknown>) => ({ metadata: { name: 'f' }, spec });

test('a runtime past its upstream end of life is flagged from that date on, with its successor', () => {
  expect(functionWarnings(fn({ runtime: 'nodejs20' }), DEFAULT_CATALOG, new Date('2026-04-29'))).toEqual([]);
  const w = functionWarnings(fn({ runtime: 'nodejs20' }), DEFAULT_CATALOG, new Date('2026-05-01'));
  expect(w).toHaveLength(1);
  expect(w[0]).toMatch(/nodejs20 .*2026-04-30.*nodejs22/);
  expect(
    functionWarnings(fn({ runtime: 'python3.12', timeout: '30' }), DEFAULT_CATALOG, new Date('2026-05-01')),
  ).toEqual([]);
});

test('ACME tls without a secret is deprecated on HTTPTriggers', () => {
  expect(triggerWarnings('HTTPTrigger', fn({ tls: true }))).toHaveLength(1);
  expect(triggerWarnings('HTTPTrigger', fn({ tls: true, 'tls-secret': 's' }))).toEqual([]);
  expect(triggerWarnings('KafkaTrigger', fn({ tls: true }))).toEqual([]);
});
