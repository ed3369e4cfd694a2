import { describe, expect, test } from '@jest/globals';
import { codeFileName } from '../../../controller/desired/source.js';
import { resolveWith } from '../../helpers/resolve-with.js';
import { makeFunction, NODE, PYTHON } from './fixtures.js';

describe('codeFileName', () => {
  test('uses the runtime suffix for plain code', () => {
    expect(codeFileName(resolveWith(makeFunction({ 'function-content-type': 'base64' }), NODE))).toBe(
      'handler.js',
    );
    expect(codeFileName(resolveWith(makeFunction({ handler: 'my.mod.run' }), PYTHON))).toBe('my.mod.py');
  });

  test("uses the archive's extension for archives", () => {
    expect(codeFileName(resolveWith(makeFunction({ 'function-content-type': 'url+zip+deps' }), NODE))).toBe(
      'handler.zip',
    );
    expect(
      codeFileName(resolveWith(makeFunction({ 'function-content-type': 'base64+compressedtar' }), NODE)),
    ).toBe('handler.tar.gz');
  });
});
