import { describe, expect, it } from '@jest/globals';
import { pruneUnknownFields } from '../../../lib/function/prune.js';
import { loadFixture, validFunction } from './fixtures.js';

describe('pruneUnknownFields', () => {
  it('drops unknown spec and status fields, naming each, as kube-apiserver prunes them', () => {
    const obj = validFunction({ handlr: 'typo', flavour: 'HTTP' });
    (obj as Record<string, unknown>).status = { conditions: [{ type: 'Ready', colour: 'green' }], extra: 1 };
    const { object, removed } = pruneUnknownFields('Function', obj);
    expect(removed.sort()).toEqual([
      'spec.flavour',
      'spec.handlr',
      'status.conditions[0].colour',
      'status.extra',
    ]);
    expect(object).toEqual({ ...validFunction(), status: { conditions: [{ type: 'Ready' }] } });
  });

  it('keeps everything inside embedded objects, maps of labels and the CronJob payload', () => {
    for (const name of [
      'function-as-stored.yaml',
      'function-custom-deployment.yaml',
      'cronjobtrigger.yaml',
      'kafkatrigger.yaml',
    ]) {
      const obj = loadFixture(name);
      const { object, removed } = pruneUnknownFields(obj.kind as 'Function', obj);
      expect({ name, removed }).toEqual({ name, removed: [] });
      expect(object).toEqual(obj);
    }
  });

  it('leaves metadata alone and does not change its input', () => {
    const obj = { ...validFunction(), metadata: { name: 'a', managedFields: [{ manager: 'kubectl' }] } };
    const before = structuredClone(obj);
    expect(pruneUnknownFields('Function', obj).object).toEqual(obj);
    expect(obj).toEqual(before);
  });
});
