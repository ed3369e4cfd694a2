// Pool mode: the function's environment arrives as one JSON line on stdin.
import { describe, expect, it } from '@jest/globals';
import { ConfigError, parsePoolConfig } from '../../../../runtimes/nodejs/config.js';

describe('parsePoolConfig', () => {
  it('returns the env object of the line', () => {
    expect(parsePoolConfig('{"env": {"MOD_NAME": "hello", "FUNC_HANDLER": "hello"}}')).toEqual({
      MOD_NAME: 'hello',
      FUNC_HANDLER: 'hello',
    });
  });

  it.each([
    ['not JSON', 'MOD_NAME=hello', /not JSON.*send one line/],
    ['no env object', '{"MOD_NAME": "hello"}', /no "env" object/],
    ['an env array', '{"env": ["MOD_NAME"]}', /no "env" object/],
    ['a non-string value', '{"env": {"FUNC_TIMEOUT": 5}}', /env\.FUNC_TIMEOUT must be a string, got number/],
  ])('refuses %s with the fix in the message', (_case, line, message) => {
    expect(() => parsePoolConfig(line)).toThrow(ConfigError);
    expect(() => parsePoolConfig(line)).toThrow(message);
  });
});
