import { describe, expect, it } from '@jest/globals';
import { callRequest, needsNewline } from '../../../cli/function/call.js';
import { functionsPath, invokePath } from '../../../cli/kube/paths.js';

describe('callRequest', () => {
  it('GETs without data and POSTs JSON data labelled as JSON', () => {
    expect(callRequest({})).toEqual({
      method: 'GET',
      body: undefined,
      headers: { 'event-namespace': 'cli.kubeless.io' },
    });
    expect(callRequest({ data: '{"a":1}' })).toEqual({
      method: 'POST',
      body: '{"a":1}',
      headers: {
        'Content-Type': 'application/json',
        'event-type': 'application/json',
        'event-namespace': 'cli.kubeless.io',
      },
    });
    expect(callRequest({ data: 'plain words' }).headers['Content-Type']).toBe('text/plain; charset=utf-8');
  });
  it('keeps a user-given content type and method', () => {
    const plan = callRequest({
      data: '{}',
      method: 'put',
      header: ['content-type: application/x-custom', 'X-Id:  7 '],
    });
    expect(plan).toEqual({
      method: 'PUT',
      body: '{}',
      headers: {
        'content-type': 'application/x-custom',
        'X-Id': '7',
        'event-type': 'application/x-custom',
        'event-namespace': 'cli.kubeless.io',
      },
    });
    expect(callRequest({ header: ['Event-Namespace: mine'] }).headers).toEqual({ 'Event-Namespace': 'mine' });
  });
  it('labels a --data-file body by what it holds: JSON, text or bytes', () => {
    expect(callRequest({ dataBytes: Buffer.from('[1,2]') }).headers['Content-Type']).toBe('application/json');
    expect(callRequest({ dataBytes: Buffer.from('héllo') }).headers['Content-Type']).toBe(
      'text/plain; charset=utf-8',
    );
    const bytes = callRequest({ dataBytes: Buffer.from([0xff, 0x00, 0x01]) });
    expect(bytes).toMatchObject({ method: 'POST', headers: { 'Content-Type': 'application/octet-stream' } });
    expect(() => callRequest({ data: 'a', dataBytes: Buffer.from('b') })).toThrow(
      /either --data or --data-file/,
    );
  });
  it('ends text answers with a newline, but never bytes or text that has one', () => {
    expect(needsNewline(Buffer.from('hello world'), 'text/plain')).toBe(true);
    expect(needsNewline(Buffer.from('{"a":1}'), 'application/json; charset=utf-8')).toBe(true);
    expect(needsNewline(Buffer.from('done\n'), 'text/plain')).toBe(false);
    expect(needsNewline(Buffer.from(''), 'text/plain')).toBe(false);
    expect(needsNewline(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png')).toBe(false);
    expect(needsNewline(Buffer.from('GIF89a'), 'image/gif')).toBe(false);
  });
  it('explains a malformed header or method', () => {
    expect(() => callRequest({ header: ['NoColon'] })).toThrow(
      'invalid --header "NoColon": write "Name: value"',
    );
    expect(() => callRequest({ method: 'GE T' })).toThrow(/invalid --method/);
  });
});

describe('paths', () => {
  it('builds the invoke subresource path with the function sub-path and query', () => {
    expect(invokePath('ns', 'fn', undefined)).toBe(
      '/apis/subresources.kubeless.io/v1/namespaces/ns/functions/fn/invoke',
    );
    expect(invokePath('ns', 'fn', '/items/3?x=1')).toBe(
      '/apis/subresources.kubeless.io/v1/namespaces/ns/functions/fn/invoke/items/3?x=1',
    );
  });
  it('refuses dot segments that would leave the subresource', () => {
    expect(() => invokePath('ns', 'fn', '../../other')).toThrow(/'\.' and '\.\.' segments are not allowed/);
  });
  it('lists across namespaces without a namespace segment', () => {
    expect(functionsPath(undefined)).toBe('/apis/kubeless.io/v1beta1/functions');
    expect(functionsPath('a b')).toBe('/apis/kubeless.io/v1beta1/namespaces/a%20b/functions');
  });
});
