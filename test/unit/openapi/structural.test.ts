import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CHECKSUM_PATTERN } from '../../../lib/function/checksum.js';
import { HANDLER_PATTERN, TIMEOUT_PATTERN } from '../../../lib/function/rules.js';
import { findStructuralProblems } from './structural.js';

const CRDS = path.resolve('charts/kubeless/crds');

interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; plural: string; shortNames?: string[]; categories?: string[] };
    scope: string;
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      subresources?: { status?: object };
      additionalPrinterColumns?: Array<{ name: string; jsonPath: string }>;
      schema: { openAPIV3Schema: Record<string, unknown> };
    }>;
  };
}

const crds: Crd[] = readdirSync(CRDS)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => YAML.parse(readFileSync(path.join(CRDS, f), 'utf8')) as Crd);

function schemaOf(kind: string): Record<string, unknown> {
  const crd = crds.find((c) => c.spec.names.kind === kind);
  if (!crd) throw new Error(`no CRD for ${kind}`);
  return crd.spec.versions[0]!.schema.openAPIV3Schema;
}

function rulesAt(schema: Record<string, unknown>, ...fieldPath: string[]): string[] {
  let node: Record<string, unknown> = schema;
  for (const p of fieldPath) node = (node.properties as Record<string, Record<string, unknown>>)[p]!;
  return ((node['x-kubernetes-validations'] ?? []) as Array<{ rule: string }>).map((r) => r.rule);
}

describe('CRD manifests', () => {
  it('exist for the four kubeless.io kinds', () => {
    expect(crds.map((c) => c.metadata.name)).toEqual([
      'cronjobtriggers.kubeless.io',
      'functions.kubeless.io',
      'httptriggers.kubeless.io',
      'kafkatriggers.kubeless.io',
    ]);
  });

  it.each(crds.map((c) => [c.spec.names.kind, c] as const))('%s has a structural schema', (_kind, crd) => {
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(crd.spec.scope).toBe('Namespaced');
    const [version] = crd.spec.versions;
    expect(version).toMatchObject({
      name: 'v1beta1',
      served: true,
      storage: true,
      subresources: { status: {} },
    });
    expect(findStructuralProblems(version!.schema.openAPIV3Schema)).toEqual([]);
  });

  it('gives Function the short name fn, the kubeless and all categories and the printer columns', () => {
    const fn = crds.find((c) => c.spec.names.kind === 'Function')!;
    expect(fn.spec.names).toMatchObject({
      plural: 'functions',
      shortNames: ['fn'],
      categories: ['kubeless', 'all'],
    });
    expect(fn.spec.versions[0]!.additionalPrinterColumns!.map((c) => c.name)).toEqual([
      'Runtime',
      'Handler',
      'Ready',
      'Age',
    ]);
  });

  it('carries the same format rules as CEL that lib/function enforces', () => {
    const fn = schemaOf('Function');
    const cel = (p: string) => p.replace(/\\/g, '\\\\');
    expect(rulesAt(fn, 'spec', 'handler').join()).toContain(cel(HANDLER_PATTERN));
    expect(rulesAt(fn, 'spec', 'checksum').join()).toContain(cel(CHECKSUM_PATTERN));
    expect(rulesAt(fn, 'spec', 'timeout').join()).toContain(cel(TIMEOUT_PATTERN));
    expect(rulesAt(schemaOf('KafkaTrigger'), 'spec').join()).toContain(
      'size(self.functionSelector.matchLabels) > 0',
    );
    expect(rulesAt(schemaOf('CronJobTrigger'), 'spec', 'schedule').join()).toContain("self.trim() != ''");
  });

  it('describes every field, so kubectl explain has something to say', () => {
    const missing: string[] = [];
    const walk = (node: Record<string, unknown>, at: string): void => {
      for (const [name, sub] of Object.entries(
        (node.properties ?? {}) as Record<string, Record<string, unknown>>,
      )) {
        if (name !== 'metadata' && typeof sub.description !== 'string') missing.push(`${at}.${name}`);
        walk(sub, `${at}.${name}`);
        if (sub.items) walk(sub.items as Record<string, unknown>, `${at}.${name}[]`);
      }
    };
    for (const crd of crds) walk(crd.spec.versions[0]!.schema.openAPIV3Schema, crd.spec.names.kind);
    expect(missing).toEqual([]);
  });
});

describe('the structural check itself', () => {
  it.each([
    ['a missing type', { type: 'object', properties: { a: { description: 'x' } } }, /properties\.a: no type/],
    ['a $ref', { type: 'object', properties: { a: { $ref: '#/x' } } }, /\$ref/],
    ['additionalProperties: false', { type: 'object', additionalProperties: false }, /additionalProperties/],
    [
      'properties and additionalProperties together',
      { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
      /mutually exclusive/,
    ],
    ['uniqueItems', { type: 'array', uniqueItems: true, items: { type: 'string' } }, /uniqueItems/],
    ['tuple items', { type: 'array', items: [{ type: 'string' }] }, /items must be one schema/],
    ['a type inside anyOf', { type: 'object', anyOf: [{ type: 'string' }] }, /inside anyOf/],
    [
      'a restricted metadata',
      {
        type: 'object',
        properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } },
      },
      /metadata/,
    ],
    ['an unknown type', { type: 'null' }, /type "null"/],
  ])('catches %s', (_name, schema, problem) => {
    expect(findStructuralProblems(schema).join('\n')).toMatch(problem);
  });
});
