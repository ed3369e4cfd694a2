import { describe, expect, it } from '@jest/globals';
import { sha256Checksum, isChecksum } from '../../../lib/function/checksum.js';
import {
  ContentTypeError,
  detectContentType,
  formatContentType,
  parseContentType,
} from '../../../lib/function/content.js';

describe('content types', () => {
  it.each([
    ['text', { encoding: 'text', deps: false }],
    ['base64', { encoding: 'base64', deps: false }],
    ['url', { encoding: 'url', deps: false }],
    ['base64+zip', { encoding: 'base64', archive: 'zip', deps: false }],
    ['url+compressedtar', { encoding: 'url', archive: 'compressedtar', deps: false }],
    ['url+zip+deps', { encoding: 'url', archive: 'zip', deps: true }],
  ])('parses %s and formats it back', (text, parsed) => {
    expect(parseContentType(text)).toEqual(parsed);
    expect(formatContentType(parseContentType(text))).toBe(text);
  });

  it.each([
    ['zip', /unknown content type/],
    ['base64+rar', /unknown content type/],
    ['text+zip', /cannot be text; use base64\+zip/],
    ['base64+deps', /add \+zip or \+compressedtar/],
  ])('rejects %s, saying what is valid', (text, message) => {
    expect(() => parseContentType(text)).toThrow(ContentTypeError);
    expect(() => parseContentType(text)).toThrow(message);
  });

  it('detects URLs, base64 archives and leaves source code as text', () => {
    expect(detectContentType('https://example.com/f.zip')).toEqual({
      encoding: 'url',
      archive: 'zip',
      deps: false,
    });
    expect(detectContentType('https://example.com/f.tgz')).toEqual({
      encoding: 'url',
      archive: 'compressedtar',
      deps: false,
    });
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]).toString('base64');
    expect(detectContentType(zip)).toEqual({ encoding: 'base64', archive: 'zip', deps: false });
    expect(detectContentType(Buffer.from('print(1)').toString('base64'))).toEqual({
      encoding: 'base64',
      deps: false,
    });
    expect(detectContentType('def foo(event, context):\n    return "hello"\n')).toEqual({
      encoding: 'text',
      deps: false,
    });
    expect(detectContentType('module.exports={}')).toEqual({ encoding: 'text', deps: false });
  });
});

describe('checksums', () => {
  it('is sha256: and the hex digest of the bytes', () => {
    // sha256 of the empty input, a well-known value.
    expect(sha256Checksum(new Uint8Array())).toBe(
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(sha256Checksum('abc')).toBe(sha256Checksum(Buffer.from('abc')));
    expect(isChecksum(sha256Checksum('abc'))).toBe(true);
    expect(isChecksum('sha256:ABC')).toBe(false);
    expect(isChecksum('md5:900150983cd24fb0d6963f7d28e17f72')).toBe(false);
  });
});
