import { describe, expect, it } from '@jest/globals';
import {
  identityMismatch,
  prepareCreate,
  prepareStatusUpdate,
  prepareUpdate,
} from '../../../local/api/meta.js';
import { applyPatch, mergePatch, PatchError } from '../../../local/api/patch.js';
import { resourceByPlural } from '../../../local/api/resources.js';
import { matches, parseSelector, SelectorError } from '../../../local/api/selector.js';
import { evalPath, humanAge, toTable } from '../../../local/api/table.js';
import type { StoredObject } from '../../../local/store/store.js';
import { dropStaleChecksum } from '../../../lib/function/stale-defaults.js';

const fnRes = resourceByPlural('functions')!;

function fn(spec: Record<string, unknown>, extra: Partial<StoredObject> = {}): StoredObject {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'f', namespace: 'default' },
    spec,
    ...extra,
  };
}

describe('label selectors', () => {
  const labels = { function: 'hello', tier: 'web' };
  it.each([
    ['function=hello', true],
    ['function==hello,tier=web', true],
    ['function!=hello', false],
    ['tier in (web, api)', true],
    ['tier notin (web)', false],
    ['tier', true],
    ['!tier', false],
    ['missing!=x', true],
    ['', true],
  ])('%s → %s', (sel, expected) => {
    expect(matches(parseSelector(sel), labels)).toBe(expected);
  });
  it('names the term it cannot parse', () => {
    expect(() => parseSelector('a=b,=c')).toThrow(SelectorError);
    expect(() => parseSelector('a=b,=c')).toThrow(/"=c"/);
  });
});

describe('patches', () => {
  it('merge patch replaces, adds and removes (null) keys, recursing into objects', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { b: { c: null, x: 1 }, e: [2], f: 'n' })).toEqual(
      {
        a: 1,
        b: { d: 3, x: 1 },
        e: [2],
        f: 'n',
      },
    );
  });
  it('applies a JSON patch and reports a failed test operation as 422', () => {
    expect(
      applyPatch('application/json-patch+json', { spec: { a: 1 } }, [
        { op: 'replace', path: '/spec/a', value: 2 },
      ]),
    ).toEqual({ spec: { a: 2 } });
    try {
      applyPatch('application/json-patch+json', { a: 1 }, [{ op: 'test', path: '/a', value: 9 }]);
      throw new Error('expected a failure');
    } catch (err) {
      expect((err as PatchError).code).toBe(422);
    }
  });
  it('refuses strategic merge with 415 and names the types that work', () => {
    try {
      applyPatch('application/strategic-merge-patch+json', {}, {});
      throw new Error('expected a failure');
    } catch (err) {
      expect((err as PatchError).code).toBe(415);
      expect((err as Error).message).toMatch(/--type=merge/);
    }
  });
});

describe('object lifecycle', () => {
  const created = prepareCreate(fn({ handler: 'h.f' }, { status: { readyReplicas: 9 } }), fnRes, {
    namespace: 'default',
    uid: 'u1',
    now: '2026-01-01T00:00:00Z',
    suffix: 'abcde',
  });
  it('create sets identity, generation 1 and drops a client-written status', () => {
    expect(created.metadata).toMatchObject({
      uid: 'u1',
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
      namespace: 'default',
    });
    expect(created.status).toBeUndefined();
  });
  it('generateName yields a name', () => {
    const o = prepareCreate({ metadata: { generateName: 'fn-' }, spec: {} }, fnRes, {
      namespace: 'ns',
      uid: 'u',
      now: 'n',
      suffix: 'x1y2z',
    });
    expect(o.metadata.name).toBe('fn-x1y2z');
  });
  it('bumps generation on a spec change only, and keeps status and identity', () => {
    const stored = { ...created, status: { readyReplicas: 1 } };
    const labelsOnly = prepareUpdate(stored, {
      ...stored,
      metadata: { ...stored.metadata, labels: { a: 'b' }, uid: 'forged' },
      status: {},
    });
    expect(labelsOnly.metadata).toMatchObject({ generation: 1, uid: 'u1', labels: { a: 'b' } });
    expect(labelsOnly.status).toEqual({ readyReplicas: 1 });
    const specChange = prepareUpdate(stored, { ...stored, spec: { handler: 'h.g' } });
    expect(specChange.metadata.generation).toBe(2);
  });
  it('a status write changes status only', () => {
    const o = prepareStatusUpdate(created, {
      ...created,
      spec: { handler: 'changed' },
      status: { readyReplicas: 1 },
    });
    expect(o.spec).toEqual({ handler: 'h.f' });
    expect(o.status).toEqual({ readyReplicas: 1 });
  });
  it('drops a carried-over checksum when the code changed, keeps one the client changed', () => {
    const cur = fn({ function: 'a', checksum: 'sha256:old' });
    expect(
      (dropStaleChecksum(cur, fn({ function: 'b', checksum: 'sha256:old' })).spec as { checksum?: string })
        .checksum,
    ).toBeUndefined();
    expect(
      (dropStaleChecksum(cur, fn({ function: 'b', checksum: 'sha256:new' })).spec as { checksum?: string })
        .checksum,
    ).toBe('sha256:new');
  });
  it('refuses a body whose name or namespace disagrees with the path', () => {
    expect(identityMismatch(fn({}), 'other', 'default')).toMatch(/does not match the name/);
    expect(identityMismatch(fn({}), 'f', 'prod')).toMatch(/namespace/);
    expect(identityMismatch(fn({}), 'f', 'default')).toBeUndefined();
  });
});

describe('tables', () => {
  it('evaluates printer-column paths including the Ready filter', () => {
    const o = {
      status: {
        conditions: [
          { type: 'Other', status: 'x' },
          { type: 'Ready', status: 'True' },
        ],
      },
    };
    expect(evalPath(o, '.status.conditions[?(@.type=="Ready")].status')).toBe('True');
    expect(evalPath({}, '.spec.runtime')).toBeUndefined();
  });
  it('prints ages like kubectl', () => {
    expect([humanAge(45_000), humanAge(192_000), humanAge(5 * 3600_000), humanAge(51 * 3600_000)]).toEqual([
      '45s',
      '3m12s',
      '5h',
      '2d3h',
    ]);
  });
  it('has Name, Runtime, Handler, Ready and Age columns with one row per object', () => {
    const o = fn(
      { runtime: 'nodejs20', handler: 'h.f' },
      { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
    );
    o.metadata.creationTimestamp = new Date(Date.now() - 30_000).toISOString();
    const t = toTable(fnRes, [o], '7') as {
      columnDefinitions: Array<{ name: string }>;
      rows: Array<{ cells: unknown[] }>;
    };
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Runtime', 'Handler', 'Ready', 'Age']);
    expect(t.rows[0]!.cells.slice(0, 4)).toEqual(['f', 'nodejs20', 'h.f', 'False']);
    expect(t.rows[0]!.cells[4]).toMatch(/^3\ds$/);
  });
});
