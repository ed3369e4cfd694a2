import { describe, expect, it } from '@jest/globals';
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  namespaceProblem,
  pathSegmentProblem,
} from '../../../lib/k8s/names.js';

describe('Kubernetes name rules', () => {
  it('accepts DNS-1123 labels of at most 63 characters, as namespaces', () => {
    for (const ok of ['default', 'a', '0', 'kube-system', 'a'.repeat(63)])
      expect(isDns1123Label(ok)).toBe(true);
    for (const bad of ['', 'Foo', 'foo_bar', '-a', 'a-', 'a.b', '..', 'a/b', 'a'.repeat(64), 'é'])
      expect(isDns1123Label(bad)).toBe(false);
  });

  it('accepts DNS-1123 subdomains of at most 253 characters, and DNS-1035 labels that start with a letter', () => {
    expect(isDns1123Subdomain('a.b-c.d')).toBe(true);
    expect(
      isDns1123Subdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`),
    ).toBe(true);
    expect(isDns1123Subdomain('a'.repeat(254))).toBe(false);
    for (const bad of ['.', '..', 'a..b', '.a', 'a.', 'A.b']) expect(isDns1123Subdomain(bad)).toBe(false);
    expect(isDns1035Label('hello')).toBe(true);
    expect(isDns1035Label('1hello')).toBe(false);
  });

  it('words path segment problems the way kube-apiserver does', () => {
    expect(pathSegmentProblem('..')).toBe("may not be '..'");
    expect(pathSegmentProblem('.')).toBe("may not be '.'");
    expect(pathSegmentProblem('a/b')).toBe("may not contain '/'");
    expect(pathSegmentProblem('a%b')).toBe("may not contain '%'");
    expect(pathSegmentProblem('a\0b')).toBe('may not contain a NUL byte');
    expect(pathSegmentProblem('')).toBe('may not be empty');
    expect(pathSegmentProblem('Foo_bar')).toBeUndefined();
  });

  it('says how to fix a namespace', () => {
    expect(namespaceProblem('default')).toBeUndefined();
    expect(namespaceProblem('../..')).toMatch(/"\.\.\/\.\." is not a valid namespace: .*"default"/);
  });
});
