// Loads the original-format manifests of test/fixtures/original.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const FIXTURES = path.resolve('test/fixtures/original');

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

export function loadFixture(name: string): Record<string, unknown> {
  return YAML.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;
}

/** A minimal valid Function, to change one field at a time. */
export function validFunction(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'hello', namespace: 'default' },
    spec: {
      handler: 'handler.hello',
      runtime: 'nodejs20',
      function: 'module.exports = { hello: () => "hi" };',
      ...spec,
    },
  };
}
