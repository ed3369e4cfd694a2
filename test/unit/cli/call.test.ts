import { describe, expect, it } from '@jest/globals';
import { callRequest } from '../../../cli/function/call.js';
import { functionsPath, invokePath } from '../../../cli/kube/paths.js';

describe('callRequest', () => {
  it('GETs without data and POSTs JSON data labelled as JSON', () => {
    expect(callRequest({})).toEqual({ method: 'GET', body: undefined, headers: {} });
    expect(callRequest({ data: '{"a":1}' })).toEqual({
      method: 'POST',
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json' },
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
      headers: { 'content-type': 'application/x-custom', 'X-Id': '7' },
    });
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
