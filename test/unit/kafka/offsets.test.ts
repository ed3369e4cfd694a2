// The offset tracker against a plain model, over random fetch gaps, completion orders, commits
// and crashes (fast-check): whatever the order, a commit never passes an unfinished record and
// a restart from the commit re-delivers exactly the records that were not committed.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { PartitionOffsets } from '../../../kafka/offsets.js';

type Op = { kind: 'take'; gap: number } | { kind: 'finish'; pick: number } | { kind: 'commit' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('take' as const), gap: fc.nat({ max: 3 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('finish' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('commit' as const) }) },
);

interface Run {
  taken: bigint[];
  finished: Set<bigint>;
  committed: bigint | undefined;
  tracker: PartitionOffsets;
}

/** Plays the operations, checking the tracker against the model after each step. */
function play(start: bigint, ops: Op[]): Run {
  const tracker = new PartitionOffsets();
  const taken: bigint[] = [];
  const finished = new Set<bigint>();
  let next = start;
  let committed: bigint | undefined;
  for (const o of ops) {
    if (o.kind === 'take') {
      next += BigInt(o.gap);
      tracker.take(next);
      taken.push(next);
      next += 1n;
    } else if (o.kind === 'finish') {
      const open = taken.filter((t) => !finished.has(t));
      if (open.length === 0) continue;
      const offset = open[o.pick % open.length] as bigint;
      tracker.finish(offset);
      finished.add(offset);
    } else {
      const point = tracker.commitPoint();
      if (point !== undefined) {
        // Monotonic: a commit never goes back.
        if (committed !== undefined) expect(point > committed).toBe(true);
        tracker.committedAt(point);
        committed = point;
      }
    }
    const point = tracker.commitPoint() ?? committed;
    if (point !== undefined) {
      // Safe: nothing below the commit point is unfinished.
      for (const t of taken) if (t < point) expect(finished.has(t)).toBe(true);
      // Tight: the commit point is the first unfinished record, or one past the last taken.
      const firstOpen = taken.find((t) => !finished.has(t));
      const expected = firstOpen ?? (taken.length > 0 ? (taken[taken.length - 1] as bigint) + 1n : undefined);
      expect(point).toBe(expected);
    }
    expect(tracker.pending).toBe(taken.length - finished.size);
  }
  return { taken, finished, committed, tracker };
}

describe('PartitionOffsets (property-based)', () => {
  test('the commit point is the lowest unfinished offset, whatever order records finish in', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 62n }), fc.array(op, { maxLength: 300 }), (start, ops) => {
        play(start, ops);
      }),
      { numRuns: 400 },
    );
  });

  test('a crash at any moment re-delivers exactly the records at or above the last commit, and loses none', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const { taken, finished, committed } = play(0n, ops);
        // The successor starts at the committed offset (or the beginning when nothing was committed).
        const from = committed ?? 0n;
        const redelivered = taken.filter((t) => t >= from);
        // Lost: neither finished before the crash nor fetched again after it.
        const lost = taken.filter((t) => !finished.has(t) && t < from);
        expect(lost).toEqual([]);
        // Only what was not committed comes again: everything below the commit was finished.
        expect(taken.filter((t) => t < from).every((t) => finished.has(t))).toBe(true);
        expect(redelivered.length).toBe(taken.length - taken.filter((t) => t < from).length);
      }),
      { numRuns: 400 },
    );
  });

  test('a refetch after a rebalance is recognised: taken offsets are seen, later ones are new', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 100 }), (gaps) => {
        const tracker = new PartitionOffsets();
        let o = 10n;
        const taken: bigint[] = [];
        for (const g of gaps) {
          o += BigInt(g);
          tracker.take(o);
          taken.push(o);
          o += 1n;
        }
        for (const t of taken) expect(tracker.seen(t)).toBe(true);
        expect(tracker.seen(o)).toBe(false);
        expect(() => tracker.take(taken[0] as bigint)).toThrow(/must increase/);
      }),
    );
  });

  test('finishing every record of a long run keeps memory bounded and commits one past the last', () => {
    const tracker = new PartitionOffsets();
    for (let i = 0n; i < 5000n; i++) tracker.take(i);
    for (let i = 4999n; i >= 0n; i--) tracker.finish(i);
    expect(tracker.commitPoint()).toBe(5000n);
    tracker.committedAt(5000n);
    expect(tracker.commitPoint()).toBeUndefined();
    tracker.finish(3n);
    expect(tracker.pending).toBe(0);
  });
});
