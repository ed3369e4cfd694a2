// request.path and request.query of event.extensions.request: Express 4's "extended" parsing,
// which the original runtime's functions saw, without loading qs for flat query strings.
import { describe, expect, it } from '@jest/globals';
import { splitUrl } from '../../../../runtimes/nodejs/express-request.js';

describe('splitUrl', () => {
  it('splits the path from the query; repeated keys become arrays and + is a space', () => {
    expect(splitUrl('/a/b?x=1&x=2&y=a+b&z')).toEqual({
      path: '/a/b',
      query: { x: ['1', '2'], y: 'a b', z: '' },
    });
    expect(splitUrl('/plain')).toEqual({ path: '/plain', query: {} });
  });

  it('nests bracket keys as Express 4 did, written plainly or percent-encoded', () => {
    expect(splitUrl('/?a[b]=1&a[c]=2&l[]=x&l[]=y').query).toEqual({ a: { b: '1', c: '2' }, l: ['x', 'y'] });
    expect(splitUrl('/?a%5Bb%5D=1').query).toEqual({ a: { b: '1' } });
  });

  it('ignores keys that would shadow what every object inherits', () => {
    const query = splitUrl('/?__proto__=x&toString=y&ok=1').query;
    expect(query).toEqual({ ok: '1' });
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
    expect(splitUrl('/?__proto__[polluted]=1').query).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
