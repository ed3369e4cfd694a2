import { describe, expect, test } from '@jest/globals';
import { mergeObjects } from '../../../lib/k8s/merge.js';

describe('mergeObjects', () => {
  test('objects merge recursively and the user’s scalars win', () => {
    expect(mergeObjects({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 4, e: 5 } })).toEqual({
      a: 1,
      b: { c: 2, d: 4, e: 5 },
    });
  });

  test('plain arrays are replaced by the user’s', () => {
    expect(mergeObjects({ args: ['a', 'b'] }, { args: ['c'] })).toEqual({ args: ['c'] });
  });

  test('keyed arrays merge item by item and append new items in order', () => {
    const ours = {
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    };
    const theirs = {
      env: [
        { name: 'C', value: '3' },
        { name: 'A', value: 'x' },
      ],
    };
    expect(mergeObjects(ours, theirs)).toEqual({
      env: [
        { name: 'A', value: 'x' },
        { name: 'B', value: '2' },
        { name: 'C', value: '3' },
      ],
    });
  });

  test('volume mounts merge on mountPath', () => {
    const ours = { volumeMounts: [{ name: 'a', mountPath: '/kubeless' }] };
    const theirs = {
      volumeMounts: [
        { name: 'b', mountPath: '/kubeless', readOnly: true },
        { name: 'c', mountPath: '/data' },
      ],
    };
    expect(mergeObjects(ours, theirs)).toEqual({
      volumeMounts: [
        { name: 'b', mountPath: '/kubeless', readOnly: true },
        { name: 'c', mountPath: '/data' },
      ],
    });
  });

  test('null and undefined in the user’s object keep ours; inputs are not mutated', () => {
    const ours = { a: { b: 1 }, c: 2 };
    const theirs = { a: null, c: undefined, d: { e: [1] } };
    const merged = mergeObjects(ours, theirs);
    expect(merged).toEqual({ a: { b: 1 }, c: 2, d: { e: [1] } });
    (merged as unknown as { d: { e: number[] } }).d.e.push(2);
    expect(theirs.d.e).toEqual([1]);
    expect(ours).toEqual({ a: { b: 1 }, c: 2 });
  });
});
