import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import {
  envNameProblem,
  labelKeyProblem,
  labelValueProblem,
  validateLabelMap,
} from '../../../lib/function/labels.js';
import { validateObject } from '../../../lib/function/validate.js';
import { validFunction } from './fixtures.js';

describe('label keys (what kube-apiserver accepts)', () => {
  it.each([
    'app',
    'App.Name_1',
    'example.com/tier',
    'a',
    'k8s.io/x-y',
    'x'.repeat(63),
    `${'a'.repeat(253)}/n`,
  ])('accepts %s', (key) => expect(labelKeyProblem(key)).toBeUndefined());

  it.each<[string, RegExp]>([
    ['foo:bar,bar', /name part must consist of alphanumeric/],
    ['-app', /start.*alphanumeric/],
    ['app-', /alphanumeric/],
    ['', /must not be empty/],
    ['/app', /prefix before '\/' must not be empty/],
    ['Example.com/app', /lower-case DNS subdomain/],
    ['a/b/c', /more than one '\/'/],
    ['x'.repeat(64), /no more than 63/],
    [`${'a'.repeat(254)}/n`, /no more than 253/],
    ['has space', /name part/],
  ])('refuses %j', (key, why) => expect(labelKeyProblem(key)).toMatch(why));
});

describe('label values', () => {
  it.each(['', 'bar', 'foo,foobar'.replace(',', '.'), 'A_b-1.2', 'v'.repeat(63)])('accepts %j', (v) =>
    expect(labelValueProblem(v)).toBeUndefined(),
  );
  it.each(['foo,foobar', '-x', 'x-', 'a b', 'v'.repeat(64), 'é'])('refuses %j', (v) =>
    expect(labelValueProblem(v)).toBeDefined(),
  );
});

describe('environment variable names', () => {
  it.each(['FOO', 'my.env-name', '_x', 'MyEnvName1', '-dash'])('accepts %s', (n) =>
    expect(envNameProblem(n)).toBeUndefined(),
  );
  it.each(['1ABC', 'foo:bar,bar', 'has space', 'a=b', ''])('refuses %j', (n) =>
    expect(envNameProblem(n)).toBeDefined(),
  );
});

describe('validateLabelMap', () => {
  it('reports every bad key and value at the map field, quoting the text', () => {
    const errors = validateLabelMap({ ok: 'fine', 'foo:bar,bar': 'foo,foobar' }, 'metadata.labels');
    expect(errors.map((e) => [e.field, e.type])).toEqual([
      ['metadata.labels', 'FieldValueInvalid'],
      ['metadata.labels', 'FieldValueInvalid'],
    ]);
    expect(errors[0]?.message).toContain('"foo:bar,bar"');
    expect(errors[1]?.message).toContain('"foo,foobar"');
  });
});

describe('validateObject applies the label and env rules', () => {
  it('refuses a Function whose labels a cluster would refuse', () => {
    const fn = validFunction();
    (fn.metadata as Record<string, unknown>).labels = { 'foo:bar,bar': 'foo,foobar' };
    const errors = validateObject('Function', fn, DEFAULT_CATALOG);
    expect(errors.map((e) => e.field)).toEqual(['metadata.labels', 'metadata.labels']);
  });

  it('refuses bad labels on triggers too', () => {
    const trigger = {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 'tick', namespace: 'default', labels: { 'bad key': 'x' } },
      spec: { 'function-name': 'hello', schedule: '* * * * *' },
    };
    expect(validateObject('CronJobTrigger', trigger, DEFAULT_CATALOG).map((e) => e.field)).toEqual([
      'metadata.labels',
    ]);
  });

  it('refuses env names and node selectors of the pod template that a Deployment could not hold', () => {
    const fn = validFunction({
      deployment: {
        spec: {
          template: {
            spec: {
              nodeSelector: { 'disk type': 'ssd' },
              containers: [
                {
                  env: [
                    { name: 'OK', value: '1' },
                    { name: '1BAD', value: '2' },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    expect(validateObject('Function', fn, DEFAULT_CATALOG).map((e) => e.field)).toEqual([
      'spec.deployment.spec.template.spec.nodeSelector',
      'spec.deployment.spec.template.spec.containers[0].env[1].name',
    ]);
  });

  it('accepts valid labels, env names and node selectors', () => {
    const fn = validFunction({
      deployment: {
        spec: {
          template: {
            spec: { nodeSelector: { disktype: 'ssd' }, containers: [{ env: [{ name: 'A.b-c' }] }] },
          },
        },
      },
    });
    (fn.metadata as Record<string, unknown>).labels = { foo: 'bar', bar: 'foo', foobar: '' };
    expect(validateObject('Function', fn, DEFAULT_CATALOG)).toEqual([]);
  });
});
