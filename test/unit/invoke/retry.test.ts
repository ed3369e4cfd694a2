// When the invoke proxy sends a call again on a new connection, and which headers cross it.
import { describe, expect, it } from '@jest/globals';
import { shouldRetry, type AttemptFailure } from '../../../lib/invoke/retry.js';
import { addForwardedHeaders, answerHeaders, endToEndHeaders } from '../../../lib/invoke/headers.js';

const reset: AttemptFailure = {
  code: 'ECONNRESET',
  reusedSocket: true,
  answered: false,
  replayable: true,
  attempt: 1,
};

describe('a call that failed on its way to a function', () => {
  it('is sent again once when a kept socket went away before any byte of the answer', () => {
    expect(shouldRetry(reset)).toBe(true);
    expect(shouldRetry({ ...reset, code: 'UND_ERR_SOCKET' })).toBe(true);
    expect(shouldRetry({ ...reset, code: 'EPIPE' })).toBe(true);
  });

  it('is not sent again on a new connection that failed: that is the function failing', () => {
    expect(shouldRetry({ ...reset, reusedSocket: false })).toBe(false);
  });

  it('is not sent again once part of the answer came, or when the body was streamed', () => {
    expect(shouldRetry({ ...reset, answered: true })).toBe(false);
    expect(shouldRetry({ ...reset, replayable: false })).toBe(false);
  });

  it('is sent again at most once, and only for a connection that went away', () => {
    expect(shouldRetry({ ...reset, attempt: 2 })).toBe(false);
    expect(shouldRetry({ ...reset, code: 'ECONNREFUSED' })).toBe(false);
    expect(shouldRetry({ ...reset, code: 'TIMEOUT' })).toBe(false);
    expect(shouldRetry({ ...reset, code: undefined })).toBe(false);
  });
});

describe('headers across the proxy', () => {
  it('never passes on hop-by-hop headers, those the Connection header names, or Expect', () => {
    expect(
      endToEndHeaders({
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        expect: '100-continue',
        host: 'api',
        'x-custom': 'yes',
        authorization: 'Bearer t',
      }),
    ).toEqual({ 'x-custom': 'yes', authorization: 'Bearer t' });
  });

  it('drops credentials only with the invoke rules', () => {
    expect(endToEndHeaders({ authorization: 'Bearer t', cookie: 'c' }, { identityPrefixes: [] })).toEqual({});
  });

  it('adds X-Forwarded-* as an ingress does, after what a proxy in front added, and keeps Host', () => {
    const headers: Record<string, string | string[]> = { 'x-forwarded-for': '10.0.0.1' };
    addForwardedHeaders(
      headers,
      { host: 'api.example.com' },
      { address: '127.0.0.1', port: 8081, encrypted: false },
    );
    expect(headers).toEqual({
      'x-forwarded-for': '10.0.0.1, 127.0.0.1',
      'x-forwarded-port': '8081',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'api.example.com',
      host: 'api.example.com',
    });
  });

  it("passes the function's answer headers on, without those of our connection", () => {
    expect(
      answerHeaders({
        'content-type': 'text/plain',
        connection: 'keep-alive',
        'keep-alive': 'timeout=65',
        'x-function': 'mine',
        'set-cookie': ['a=1', 'b=2'],
      }),
    ).toEqual({ 'content-type': 'text/plain', 'x-function': 'mine', 'set-cookie': ['a=1', 'b=2'] });
  });
});
