import { describe, expect, test } from '@jest/globals';
import { resourcePath, subresourcePath } from '../../../lib/k8s/kubeless-paths.js';

describe('kubeless.io REST paths', () => {
  test('a kind across all namespaces, in one namespace, and one object', () => {
    expect(resourcePath('kafkatriggers')).toBe('/apis/kubeless.io/v1beta1/kafkatriggers');
    expect(resourcePath('functions', 'team-a')).toBe('/apis/kubeless.io/v1beta1/namespaces/team-a/functions');
    expect(resourcePath('functions', 'team-a', 'hello')).toBe(
      '/apis/kubeless.io/v1beta1/namespaces/team-a/functions/hello',
    );
  });

  test('a name cannot climb into another path', () => {
    expect(resourcePath('functions', 'a/b', '../x')).toBe(
      '/apis/kubeless.io/v1beta1/namespaces/a%2Fb/functions/..%2Fx',
    );
    expect(subresourcePath('ns', 'f/../g', 'invoke')).toBe(
      '/apis/subresources.kubeless.io/v1/namespaces/ns/functions/f%2F..%2Fg/invoke',
    );
  });
});
