// What held up (issue 18): the aggregated API's path handling. A namespace or name reaches a
// Service host name, a label selector and a SubjectAccessReview, so anything that could not be a
// Kubernetes name is refused before any of them, however it is encoded. Pure: the parser every
// request of `kubeless api` goes through first (its real-TLS server: test/integration/api).
import { describe, expect, it } from '@jest/globals';
import { parseSubresourcePath } from '../../api/request.js';
import { isStatus } from '../../lib/k8s/status.js';

const BASE = '/apis/subresources.kubeless.io/v1/namespaces';

describe('hostile subresource paths', () => {
  it.each([
    ['an encoded slash in the namespace', `${BASE}/..%2F..%2Fkube-system/functions/f/invoke`, 400],
    ['an encoded slash in the name', `${BASE}/default/functions/a%2Fb/invoke`, 400],
    ['encoded dots as the namespace', `${BASE}/%2e%2e/functions/f/invoke`, 400],
    ['a double-encoded slash', `${BASE}/default/functions/a%252Fb/invoke`, 400],
    ['a NUL byte', `${BASE}/default/functions/a%00b/invoke`, 400],
    ['a malformed escape', `${BASE}/default/functions/%zz/invoke`, 400],
    ['upper case', `${BASE}/Default/functions/f/invoke`, 400],
    ['a 64-character namespace', `${BASE}/${'a'.repeat(64)}/functions/f/invoke`, 400],
    ['a dot segment where the subresource goes', `${BASE}/default/functions/f/../g/invoke`, 404],
    ['a subresource other than invoke/log/logs', `${BASE}/default/functions/f/exec`, 404],
  ])('%s is refused (%s)', (_what, path, code) => {
    const parsed = parseSubresourcePath(path);
    expect(isStatus(parsed) ? parsed.code : parsed).toBe(code);
  });

  it('never yields a namespace or name that is not a DNS label/subdomain', () => {
    const tricky = [
      '..',
      '.',
      '%2e',
      '%2e%2e',
      'a%2Fb',
      'a..b',
      '.a',
      'a.',
      '-a',
      'a-',
      'a_b',
      'a%20b',
      '%C3%A9',
    ];
    for (const bad of tricky) {
      for (const path of [`${BASE}/${bad}/functions/f/invoke`, `${BASE}/default/functions/${bad}/invoke`]) {
        const parsed = parseSubresourcePath(path);
        expect({ path, code: isStatus(parsed) ? parsed.code : parsed }).toEqual({ path, code: 400 });
      }
    }
    // Dots are fine inside a name, as in any DNS subdomain.
    expect(parseSubresourcePath(`${BASE}/default/functions/a.b/invoke`)).toMatchObject({ name: 'a.b' });
  });
});
