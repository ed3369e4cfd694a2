// values.schema.json is what `helm install` checks values against; these are the mistakes a user
// makes and the messages they should get back.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { loadChart, valuesTable } from './values-table.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { schema, values } = loadChart(root);
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function withValue(keys: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(values);
  let node = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return copy;
}

function errorsOf(v: Record<string, unknown>): string[] {
  validate(v);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('values.schema.json', () => {
  test('the default values are valid', () => {
    expect(errorsOf(values)).toEqual([]);
  });

  test('a replica count written as a word names the key and the expected type', () => {
    expect(errorsOf(withValue(['webhook', 'replicas'], 'two'))).toContain(
      '/webhook/replicas must be integer',
    );
  });

  test('a misspelt key is rejected instead of silently ignored', () => {
    validate({ ...values, contoller: { replicas: 2 } });
    expect(validate.errors).toContainEqual(
      expect.objectContaining({
        keyword: 'additionalProperties',
        params: { additionalProperty: 'contoller' },
      }),
    );
  });

  test.each([
    [['certificates', 'mode'], 'vault', '/certificates/mode must be equal to one of the allowed values'],
    [['image', 'pullPolicy'], 'always', '/image/pullPolicy must be equal to one of the allowed values'],
    [
      ['kafka', 'sasl', 'mechanism'],
      'gssapi',
      '/kafka/sasl/mechanism must be equal to one of the allowed values',
    ],
    [['kafka', 'brokers'], 'kafka:9092;other:9092', '/kafka/brokers must match pattern'],
    [['webhook', 'timeoutSeconds'], 60, '/webhook/timeoutSeconds must be <= 30'],
  ])('%j = %j is rejected', (keys, value, message) => {
    expect(errorsOf(withValue(keys, value)).some((e) => e.startsWith(message))).toBe(true);
  });

  test('broker lists of several host:port pairs are accepted', () => {
    expect(errorsOf(withValue(['kafka', 'brokers'], 'a.kafka:9092,b.kafka:9093'))).toEqual([]);
  });

  test('every value has a description (the docs/install.md table is built from them)', () => {
    const table = valuesTable(schema, values);
    expect(table).toContain('| `webhook.replicas` | integer | `2` |');
    for (const line of table.split('\n').slice(2)) expect(line).not.toMatch(/\| +\|$/);
  });

  test("docs/install.md's values table matches the schema and values.yaml", () => {
    const doc = readFileSync(path.join(root, 'docs', 'install.md'), 'utf8');
    const section = /<!-- values-table:begin -->\n([\s\S]*?)\n<!-- values-table:end -->/.exec(doc)?.[1];
    // On failure: paste valuesTable()'s output (the expected value below) between the markers.
    expect(section).toBe(valuesTable(schema, values));
  });
});
