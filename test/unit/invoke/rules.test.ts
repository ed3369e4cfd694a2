// The invoke rules both platforms' proxies share: the content type of an unlabelled body, and
// which answers are the runtime's own errors (turned into a Status).
import { describe, expect, it } from '@jest/globals';
import { needsContentType, sniffContentType } from '../../../lib/invoke/content-type.js';
import { isRuntimeError, runtimeErrorStatus } from '../../../lib/invoke/runtime-error.js';

describe('a body without a content type', () => {
  it('is looked at only when there is a body and no content type', () => {
    expect(needsContentType({ 'content-length': '9' })).toBe(true);
    expect(needsContentType({ 'transfer-encoding': 'chunked' })).toBe(true);
    expect(needsContentType({ 'content-length': '0' })).toBe(false);
    expect(needsContentType({})).toBe(false);
    expect(needsContentType({ 'content-length': '9', 'content-type': 'text/plain' })).toBe(false);
  });

  it('goes on as application/json when it is one JSON value, else without a type', () => {
    expect(sniffContentType(Buffer.from('{"x": 42}\n'))).toBe('application/json');
    expect(sniffContentType(Buffer.from('[1, 2]'))).toBe('application/json');
    expect(sniffContentType(Buffer.from('"text"'))).toBe('application/json');
    expect(sniffContentType(Buffer.from('{"x": 42'))).toBeUndefined();
    expect(sniffContentType(Buffer.from('hello'))).toBeUndefined();
    expect(sniffContentType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe("the runtime's own error answers", () => {
  it('are told apart by their header, not their status code', () => {
    expect(isRuntimeError({ 'kubeless-error': 'true' })).toBe(true);
    expect(isRuntimeError({ 'content-type': 'application/json' })).toBe(false);
  });

  it('become a Status with the reason of their code and the runtime message', () => {
    const body = Buffer.from(JSON.stringify({ error: 'the function threw an exception' }));
    expect(runtimeErrorStatus(500, body, 'ns', 'f')).toMatchObject({
      kind: 'Status',
      code: 500,
      reason: 'InternalError',
      message: 'function ns/f: the function threw an exception',
      details: { name: 'f', group: 'kubeless.io', kind: 'functions' },
    });
    expect(runtimeErrorStatus(408, body, 'ns', 'f').reason).toBe('Timeout');
    expect(runtimeErrorStatus(413, Buffer.from('too big'), 'ns', 'f').message).toBe('function ns/f: too big');
  });
});
