import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import { sha256Checksum } from '../../../lib/function/checksum.js';
import { defaultFunction } from '../../../lib/function/defaults.js';
import { validateFunction } from '../../../lib/function/validate.js';
import type { KubelessFunction } from '../../../lib/types.js';
import { loadFixture, validFunction } from './fixtures.js';

function defaulted(spec: Record<string, unknown>): KubelessFunction {
  return defaultFunction(validFunction(spec) as unknown as KubelessFunction, DEFAULT_CATALOG);
}

describe('defaultFunction', () => {
  it('fills timeout, content type, checksum and labels, and leaves the input alone', () => {
    const input = validFunction() as unknown as KubelessFunction;
    const before = structuredClone(input);
    const out = defaultFunction(input, DEFAULT_CATALOG);
    expect(input).toEqual(before);
    expect(out.spec.timeout).toBe('180');
    expect(out.spec['function-content-type']).toBe('text');
    expect(out.spec.checksum).toBe(sha256Checksum(input.spec.function ?? ''));
    expect(out.metadata.labels).toEqual({ function: 'hello', 'created-by': 'kubeless' });
    expect(validateFunction(out, DEFAULT_CATALOG)).toEqual([]);
  });

  it('keeps what the user set and their other labels', () => {
    const input = validFunction({ timeout: '30', 'function-content-type': 'text' });
    (input.metadata as Record<string, unknown>).labels = { team: 'a', function: 'wrong' };
    const out = defaultFunction(input as unknown as KubelessFunction, DEFAULT_CATALOG);
    expect(out.spec.timeout).toBe('30');
    expect(out.metadata.labels).toEqual({ team: 'a', function: 'hello', 'created-by': 'kubeless' });
  });

  it('detects base64 archives and checksums their decoded bytes', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    const out = defaulted({ function: zip.toString('base64') });
    expect(out.spec['function-content-type']).toBe('base64+zip');
    expect(out.spec.checksum).toBe(sha256Checksum(zip));
  });

  it('computes no checksum for URL sources (only the download can be checked)', () => {
    const out = defaulted({ function: 'https://example.com/code.tar.gz' });
    expect(out.spec['function-content-type']).toBe('url+compressedtar');
    expect(out.spec.checksum).toBeUndefined();
  });

  it('does not guess over an invalid content type the user wrote', () => {
    const out = defaulted({ 'function-content-type': 'zip' });
    expect(out.spec['function-content-type']).toBe('zip');
    expect(out.spec.checksum).toBeUndefined();
  });

  it('leaves an original stored Function as it was, apart from nothing to add', () => {
    const stored = loadFixture('function-as-stored.yaml') as unknown as KubelessFunction;
    expect(defaultFunction(stored, DEFAULT_CATALOG)).toEqual(stored);
  });
});
