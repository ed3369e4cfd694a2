import { describe, expect, test } from '@jest/globals';
import { archiveOf, codeFileName, splitHandler, timeoutOf } from '../../../controller/desired/source.js';
import { NODE } from './fixtures.js';

describe('source helpers', () => {
  test('splitHandler splits on the last dot', () => {
    expect(splitHandler('handler.hello')).toEqual({ module: 'handler', functionName: 'hello' });
    expect(splitHandler('my.mod.run')).toEqual({ module: 'my.mod', functionName: 'run' });
  });

  test.each(['hello', '.hello', 'hello.'])(
    'splitHandler rejects %p with an example of the right form',
    (h) => {
      expect(() => splitHandler(h)).toThrow(/must be "<module>.<function>", for example/);
    },
  );

  test('archiveOf reads the content type', () => {
    expect(archiveOf({ handler: 'a.b', runtime: 'x' })).toBeUndefined();
    expect(archiveOf({ handler: 'a.b', runtime: 'x', 'function-content-type': 'url+zip+deps' })).toBe('zip');
    expect(archiveOf({ handler: 'a.b', runtime: 'x', 'function-content-type': 'base64+compressedtar' })).toBe(
      'compressedtar',
    );
  });

  test('codeFileName uses the runtime suffix for plain code', () => {
    expect(
      codeFileName({ handler: 'a.b', runtime: 'nodejs20', 'function-content-type': 'base64' }, NODE),
    ).toBe('a.js');
  });

  test('timeoutOf defaults to 180 seconds like the original', () => {
    expect(timeoutOf({ handler: 'a.b', runtime: 'x' })).toBe('180');
    expect(timeoutOf({ handler: 'a.b', runtime: 'x', timeout: ' 30 ' })).toBe('30');
  });
});

describe('content types', () => {
  test('an unknown content type is refused with the valid forms', () => {
    expect(() => archiveOf({ handler: 'a.b', runtime: 'x', 'function-content-type': 'gzip' })).toThrow(
      /unknown content type/,
    );
  });
});
