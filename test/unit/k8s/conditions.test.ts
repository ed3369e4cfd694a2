import { describe, expect, test } from '@jest/globals';
import { setCondition, statusChanged } from '../../../lib/k8s/conditions.js';
import type { Condition } from '../../../lib/types.js';

const installed: Condition = {
  type: 'Installed',
  status: 'True',
  reason: 'DepsInstalled',
  message: 'ok',
  lastTransitionTime: '2026-01-01T00:00:00Z',
};
const ready = (status: Condition['status'], reason: string, at = '2026-01-02T00:00:00Z'): Condition => ({
  type: 'Ready',
  status,
  reason,
  message: reason,
  lastTransitionTime: at,
});

describe('setCondition', () => {
  test('a new condition gets the current time and goes after the others, which are kept', () => {
    const out = setCondition(
      [installed],
      { type: 'Ready', status: 'False', reason: 'Progressing', message: 'm' },
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(out).toEqual([
      installed,
      {
        type: 'Ready',
        status: 'False',
        reason: 'Progressing',
        message: 'm',
        lastTransitionTime: '2026-02-01T00:00:00.000Z',
      },
    ]);
  });

  test('the transition time holds while the status holds, even when the reason changes', () => {
    const out = setCondition(
      [ready('False', 'Progressing')],
      { type: 'Ready', status: 'False', reason: 'LoadError', message: 'x' },
      'later',
    );
    expect(out[0]).toMatchObject({ reason: 'LoadError', lastTransitionTime: '2026-01-02T00:00:00Z' });
  });

  test('the transition time moves when the status flips', () => {
    const out = setCondition(
      [ready('False', 'Progressing')],
      { type: 'Ready', status: 'True', reason: 'Ready', message: '' },
      'later',
    );
    expect(out[0]?.lastTransitionTime).toBe('later');
  });
});

describe('statusChanged', () => {
  test('the same status read back with its keys in another order is no change', () => {
    const written = { observedGeneration: 2, conditions: [ready('True', 'Ready')], functions: ['f'] };
    const readBack = {
      functions: ['f'],
      conditions: [
        {
          message: 'Ready',
          lastTransitionTime: '2026-01-02T00:00:00Z',
          reason: 'Ready',
          status: 'True',
          type: 'Ready',
        },
      ],
      observedGeneration: 2,
    };
    expect(statusChanged(readBack, written)).toBe(false);
  });

  test('a reason, a generation or a new condition is a change; nothing before is one too', () => {
    const base = { observedGeneration: 2, conditions: [ready('False', 'Progressing')] };
    expect(statusChanged(base, { ...base, conditions: [ready('False', 'LoadError')] })).toBe(true);
    expect(statusChanged(base, { ...base, observedGeneration: 3 })).toBe(true);
    expect(statusChanged(base, { ...base, conditions: [installed, ...base.conditions] })).toBe(true);
    expect(statusChanged(undefined, base)).toBe(true);
  });
});
