import { describe, expect, test } from '@jest/globals';
import {
  clusterErrors,
  normalizePath,
  referencedSecrets,
  routeConflicts,
  routeOf,
  type ClusterReader,
  type HTTPTriggerRef,
} from '../../../webhook/cluster-checks.js';

const trigger = (name: string, spec: Record<string, unknown>) => ({ metadata: { name }, spec });

describe('HTTPTrigger routes', () => {
  test.each([
    ['/a/b/', '/a/b'],
    ['a//b', '/a/b'],
    ['', '/'],
    ['/', '/'],
  ])('normalizePath(%j) = %j', (input, out) => expect(normalizePath(input)).toBe(out));

  const others: HTTPTriggerRef[] = [
    { namespace: 'team-a', name: 'orders', host: 'shop.example.com', path: '/orders/' },
  ];

  test('a host and path another trigger serves is refused, naming the owner', () => {
    const mine = routeOf('team-b', trigger('mine', { 'host-name': 'Shop.Example.com', path: 'orders' }));
    const errors = routeConflicts(mine, others);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'spec.path', type: 'FieldValueInvalid' });
    expect(errors[0]!.message).toContain('team-a/orders');
  });

  test('the trigger itself (an UPDATE), another path or another host is fine', () => {
    expect(
      routeConflicts(
        routeOf('team-a', trigger('orders', { 'host-name': 'shop.example.com', path: '/orders' })),
        others,
      ),
    ).toEqual([]);
    expect(
      routeConflicts(
        routeOf('team-b', trigger('x', { 'host-name': 'shop.example.com', path: '/cart' })),
        others,
      ),
    ).toEqual([]);
    expect(
      routeConflicts(
        routeOf('team-b', trigger('x', { 'host-name': 'other.example.com', path: '/orders' })),
        others,
      ),
    ).toEqual([]);
  });
});

test('referencedSecrets lists tls and basic-auth Secrets with their fields', () => {
  expect(referencedSecrets(trigger('t', { 'tls-secret': 'tls', 'basic-auth-secret': 'auth' }))).toEqual([
    { field: 'spec.tls-secret', name: 'tls' },
    { field: 'spec.basic-auth-secret', name: 'auth' },
  ]);
  expect(referencedSecrets(trigger('t', {}))).toEqual([]);
});

describe('clusterErrors', () => {
  const reader = (secrets: string[], triggers: HTTPTriggerRef[] = []): ClusterReader => ({
    secretExists: async (ns, name) => secrets.includes(`${ns}/${name}`),
    httpTriggers: async () => triggers,
  });

  test('reports each missing Secret under the field that names it', async () => {
    const obj = trigger('t', { 'tls-secret': 'tls', 'basic-auth-secret': 'auth', path: '/x' });
    const errors = await clusterErrors('HTTPTrigger', 'ns', obj, reader(['ns/tls']));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'spec.basic-auth-secret' });
    expect(errors[0]!.message).toContain('"auth" does not exist in namespace "ns"');
  });

  test('a Secret of the same name in another namespace does not count', async () => {
    const errors = await clusterErrors(
      'HTTPTrigger',
      'ns',
      trigger('t', { 'tls-secret': 'tls' }),
      reader(['other/tls']),
    );
    expect(errors.map((e) => e.field)).toEqual(['spec.tls-secret']);
  });

  test('Functions need no lookups', async () => {
    const failing: ClusterReader = {
      secretExists: () => Promise.reject(new Error('should not be called')),
      httpTriggers: () => Promise.reject(new Error('should not be called')),
    };
    await expect(clusterErrors('Function', 'ns', trigger('f', {}), failing)).resolves.toEqual([]);
  });
});
