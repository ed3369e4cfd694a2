import { describe, expect, it } from '@jest/globals';
import { warningsOf, warningText } from '../../../cli/kube/warnings.js';

describe('Warning headers', () => {
  it('reads each header line and unquotes its text', () => {
    expect(
      warningsOf(['Content-Type', 'x', 'Warning', '299 - "a \\"b\\" c"', 'warning', '299 kube "second"']),
    ).toEqual(['a "b" c', 'second']);
    expect(warningText('not the usual form')).toBe('not the usual form');
  });
});
