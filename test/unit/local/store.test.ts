import { afterEach, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  HistoryExpired,
  ResourceVersionConflict,
  Store,
  type StoreEvent,
} from '../../../local/store/store.js';
import { replay } from '../../../local/store/wal.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kl-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const obj = (name: string, v = 1) => ({ metadata: { name, namespace: 'default' }, spec: { v } });

describe('replay', () => {
  it('skips records the snapshot holds and stops at a torn last line', () => {
    const log = [
      JSON.stringify({ rv: 2, op: 'put', key: 'k/a', obj: 'old' }),
      JSON.stringify({ rv: 3, op: 'put', key: 'k/b', obj: 'b' }),
      JSON.stringify({ rv: 4, op: 'del', key: 'k/a' }),
      '{"rv":5,"op":"put","key":"k/c","ob',
    ].join('\n');
    expect(replay({ rv: 2, objects: { 'k/a': 'a' } }, log)).toEqual({ rv: 4, objects: { 'k/b': 'b' } });
  });
});

describe('Store', () => {
  it('keeps objects and increasing resourceVersions across a reopen, including a torn write', async () => {
    const dir = tmp();
    const s1 = await Store.open(dir);
    await s1.create('functions/default/a', obj('a'));
    const b = await s1.create('functions/default/b', obj('b'));
    await s1.update('functions/default/b', { ...b, spec: { v: 2 } }, b.metadata.resourceVersion);
    await s1.delete('functions/default/a');
    await s1.close();
    appendFileSync(path.join(dir, 'log.jsonl'), '{"rv":99,"op":"pu');
    const s2 = await Store.open(dir);
    expect(s2.list('functions/').map((o) => [o.metadata.name, o.spec])).toEqual([['b', { v: 2 }]]);
    expect(Number(s2.resourceVersion)).toBe(4);
    const c = await s2.create('functions/default/c', obj('c'));
    expect(Number(c.metadata.resourceVersion)).toBe(5);
    expect(readFileSync(path.join(dir, 'log.jsonl'), 'utf8')).toContain('"rv":5');
    await s2.close();
  });

  it('refuses an update with a stale resourceVersion', async () => {
    const s = await Store.open(tmp());
    const a = await s.create('functions/default/a', obj('a'));
    await s.update('functions/default/a', { ...a, spec: { v: 2 } }, a.metadata.resourceVersion);
    expect(() =>
      s.update('functions/default/a', { ...a, spec: { v: 3 } }, a.metadata.resourceVersion),
    ).toThrow(ResourceVersionConflict);
    await s.close();
  });

  it('replays history to a watch from a resourceVersion and reports an expired one', async () => {
    const dir = tmp();
    const s = await Store.open(dir);
    const a = await s.create('functions/default/a', obj('a'));
    await s.create('functions/default/b', obj('b'));
    const seen: StoreEvent[] = [];
    const stop = s.watch(Number(a.metadata.resourceVersion), (ev) => seen.push(ev));
    await s.delete('functions/default/a');
    stop();
    expect(seen.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'b'],
      ['DELETED', 'a'],
    ]);
    await s.close();
    const reopened = await Store.open(dir);
    expect(() => reopened.watch(1, () => undefined)).toThrow(HistoryExpired);
    await reopened.close();
  });

  it('answers 100 concurrent creates, each durable and with its own resourceVersion', async () => {
    const dir = tmp();
    const s = await Store.open(dir);
    const made = await Promise.all(
      Array.from({ length: 100 }, (_, i) => s.create(`functions/default/f${i}`, obj(`f${i}`))),
    );
    expect(new Set(made.map((m) => m.metadata.resourceVersion)).size).toBe(100);
    const lines = readFileSync(path.join(dir, 'log.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(100);
    await s.close();
  });
});
