import { describe, expect, it } from '@jest/globals';
import { readiness } from '../../../cli/function/readiness.js';
import type { Condition, FunctionObject } from '../../../cli/kube/types.js';

function fn(generation: number, observed: number | undefined, conditions?: Condition[]): FunctionObject {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'f', generation },
    spec: {},
    status: { observedGeneration: observed, conditions },
  };
}

describe('readiness', () => {
  it('is ready when Ready=True for the current generation', () => {
    expect(readiness(fn(2, 2, [{ type: 'Ready', status: 'True', reason: 'Running' }]))).toEqual({
      phase: 'ready',
      reason: 'Running',
      message: '',
    });
  });
  it('ignores a Ready=True left from an older generation (right after an update)', () => {
    expect(readiness(fn(3, 2, [{ type: 'Ready', status: 'True' }])).phase).toBe('progressing');
    expect(readiness(fn(3, 3, [{ type: 'Ready', status: 'True', observedGeneration: 2 }])).phase).toBe(
      'progressing',
    );
  });
  it('fails with the reason and message of Ready=False', () => {
    expect(
      readiness(
        fn(1, 1, [{ type: 'Ready', status: 'False', reason: 'LoadError', message: 'SyntaxError: x' }]),
      ),
    ).toEqual({ phase: 'failed', reason: 'LoadError', message: 'SyntaxError: x' });
  });
  it('keeps waiting on Unknown and on progress reasons reported as False', () => {
    expect(readiness(fn(1, 1, [{ type: 'Ready', status: 'Unknown', reason: 'Installing' }])).phase).toBe(
      'progressing',
    );
    expect(readiness(fn(1, 1, [{ type: 'Ready', status: 'False', reason: 'Deploying' }])).phase).toBe(
      'progressing',
    );
    expect(readiness(fn(1, undefined)).reason).toBe('Pending');
    // The cluster controller reports a rollout under way as Ready=False with these reasons.
    expect(readiness(fn(1, 1, [{ type: 'Ready', status: 'False', reason: 'PodsNotReady' }])).phase).toBe(
      'progressing',
    );
    expect(readiness(fn(1, 1, [{ type: 'Ready', status: 'False', reason: 'CrashLoopBackOff' }])).phase).toBe(
      'failed',
    );
  });
});
