import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { encodeFile, encodeUrl, isText, isUrl } from '../../../cli/function/source.js';

const HELLO_SHA = 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';

describe('encodeFile', () => {
  it('keeps UTF-8 source as text and checksums its bytes', () => {
    expect(encodeFile('hello.js', Buffer.from('hello'))).toEqual({
      content: 'hello',
      contentType: 'text',
      checksum: HELLO_SHA,
    });
    const unicode = encodeFile('h.py', Buffer.from('print("héllo ✓")\n'));
    expect(unicode.contentType).toBe('text');
    expect(unicode.content).toBe('print("héllo ✓")\n');
  });

  it('base64-encodes bytes that are not valid UTF-8 or contain NUL', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    const src = encodeFile('blob.bin', bytes);
    expect(src.contentType).toBe('base64');
    expect(Buffer.from(src.content, 'base64')).toEqual(bytes);
  });

  it('recognises a zip archive by its magic bytes, whatever its name', () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('rest of archive')]);
    const src = encodeFile('code.bin', zip);
    expect(src.contentType).toBe('base64+zip');
    expect(Buffer.from(src.content, 'base64')).toEqual(zip);
  });

  it('marks gzip files named .tar.gz/.tgz as compressedtar and other gzip as plain base64', () => {
    const gz = gzipSync(Buffer.from('tar bytes'));
    expect(encodeFile('fn.tar.gz', gz).contentType).toBe('base64+compressedtar');
    expect(encodeFile('fn.tgz', gz).contentType).toBe('base64+compressedtar');
    expect(encodeFile('fn.gz', gz).contentType).toBe('base64');
  });

  it("marks bzip2 and xz tars under the original's names as compressedtar, judged by their bytes too", () => {
    const bz2 = Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.from([0xff, 0x00, 0x31])]);
    const xz = Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.from('tar bytes')]);
    for (const name of ['fn.tar.bz2', 'fn.tbz2', 'fn.tbz'])
      expect(encodeFile(name, bz2).contentType).toBe('base64+compressedtar');
    for (const name of ['fn.tar.xz', 'fn.txz'])
      expect(encodeFile(name, xz).contentType).toBe('base64+compressedtar');
    expect(encodeFile('fn.tar.bz2', gzipSync(Buffer.from('x'))).contentType).toBe('base64+compressedtar');
    expect(encodeFile('notes.bz2', bz2).contentType).toBe('base64');
    expect(encodeUrl('https://h/helloFunctions.tar.xz', xz).contentType).toBe('url+compressedtar');
    expect(encodeUrl('https://h/helloFunctions.tar.bz2?raw=1', bz2).contentType).toBe('url+compressedtar');
  });
});

describe('encodeUrl', () => {
  it('stores the URL, picks the archive kind from the path, and checksums the downloaded bytes', () => {
    expect(encodeUrl('https://example.com/fn/hello.js', Buffer.from('hello'))).toEqual({
      content: 'https://example.com/fn/hello.js',
      contentType: 'url',
      checksum: HELLO_SHA,
    });
    expect(encodeUrl('http://h/a.zip?x=1', Buffer.from('x')).contentType).toBe('url+zip');
    expect(encodeUrl('http://h/a.tgz', gzipSync(Buffer.from('x'))).contentType).toBe('url+compressedtar');
    // A .tgz name that does not hold gzip bytes is not trusted to be an archive.
    expect(encodeUrl('http://h/a.tgz', Buffer.from('x')).contentType).toBe('url');
  });
});

describe('helpers', () => {
  it('isUrl accepts only http(s)', () => {
    expect(isUrl('https://x/y')).toBe(true);
    expect(isUrl('HTTP://x')).toBe(true);
    expect(isUrl('ftp://x')).toBe(false);
    expect(isUrl('./https.js')).toBe(false);
  });
  it('isText rejects NUL bytes', () => {
    expect(isText(Buffer.from('a\u0000b'))).toBe(false);
  });
});
