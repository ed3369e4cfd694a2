import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../../lib/catalog.js';
import { sha256Checksum } from '../../../lib/function/checksum.js';
import { type FieldError, validateFunction, validateObject } from '../../../lib/function/validate.js';
import { fixtureNames, loadFixture, validFunction } from './fixtures.js';

function fields(errors: FieldError[]): string[] {
  return errors.map((e) => e.field);
}

function deployment(env: Array<{ name: string; value: string }>): Record<string, unknown> {
  return { spec: { template: { spec: { containers: [{ name: 'x' }, { name: '', env }] } } } };
}

describe('original Kubeless manifests', () => {
  it.each(fixtureNames())('%s validates unchanged', (name) => {
    const obj = loadFixture(name);
    const before = structuredClone(obj);
    expect(validateObject(String(obj.kind), obj, DEFAULT_CATALOG)).toEqual([]);
    expect(obj).toEqual(before);
  });
});

describe('validateFunction', () => {
  it.each<[string, Record<string, unknown>, string, FieldError['type'], RegExp]>([
    [
      'unknown runtime',
      { runtime: 'ruby2.4' },
      'spec.runtime',
      'FieldValueNotSupported',
      /nodejs20, nodejs22, python3\.11, python3\.12/,
    ],
    [
      'handler without a dot',
      { handler: 'hello' },
      'spec.handler',
      'FieldValueInvalid',
      /"handler\.hello" for hello in handler\.js/,
    ],
    ['handler with two dots', { handler: 'a.b.c' }, 'spec.handler', 'FieldValueInvalid', /handler\.hello/],
    ['handler missing', { handler: undefined }, 'spec.handler', 'FieldValueRequired', /spec\.handler/],
    ['function missing', { function: undefined }, 'spec.function', 'FieldValueRequired', /https URL/],
    ['malformed checksum', { checksum: 'sha256:abc' }, 'spec.checksum', 'FieldValueInvalid', /sha256sum/],
    [
      'checksum of other code',
      { checksum: sha256Checksum('other') },
      'spec.checksum',
      'FieldValueInvalid',
      /set spec\.checksum to sha256:[0-9a-f]{64}/,
    ],
    [
      'unknown content type',
      { 'function-content-type': 'zip' },
      'spec.function-content-type',
      'FieldValueNotSupported',
      /text, base64 or url/,
    ],
    [
      'text archive',
      { 'function-content-type': 'text+zip' },
      'spec.function-content-type',
      'FieldValueNotSupported',
      /\+zip/,
    ],
    [
      'url content that is no URL',
      { 'function-content-type': 'url' },
      'spec.function',
      'FieldValueInvalid',
      /https:\/\//,
    ],
    [
      'base64 content that is no base64',
      { 'function-content-type': 'base64' },
      'spec.function',
      'FieldValueInvalid',
      /base64 -w0/,
    ],
    [
      'base64+zip that is no zip',
      { 'function-content-type': 'base64+zip', function: Buffer.from('plain').toString('base64') },
      'spec.function',
      'FieldValueInvalid',
      /\.zip file/,
    ],
    ['timeout with a unit', { timeout: '3m' }, 'spec.timeout', 'FieldValueInvalid', /"180"/],
    ['timeout as a number', { timeout: 180 }, 'spec.timeout', 'FieldValueInvalid', /quote the value/],
    ['handler as a number', { handler: 5 }, 'spec.handler', 'FieldValueInvalid', /quote the value/],
    [
      'package.json that is not JSON',
      { deps: 'lodash==4' },
      'spec.deps',
      'FieldValueInvalid',
      /requirements\.txt: use a python runtime/,
    ],
    [
      'package.json with a bad dependencies map',
      { deps: '{"dependencies": ["lodash"]}' },
      'spec.deps',
      'FieldValueInvalid',
      /"dependencies"/,
    ],
    [
      'requirements.txt that is JSON',
      {
        runtime: 'python3.12',
        handler: 'h.f',
        function: 'def f(e, c):\n  return 1\n',
        deps: '{"dependencies": {}}',
      },
      'spec.deps',
      'FieldValueInvalid',
      /one requirement per line/,
    ],
    [
      'requirements.txt with a broken line',
      {
        runtime: 'python3.12',
        handler: 'h.f',
        function: 'def f(e, c):\n  return 1\n',
        deps: 'requests\nnot a requirement!\n',
      },
      'spec.deps',
      'FieldValueInvalid',
      /name\[extras\]/,
    ],
    [
      'requirements.txt including another file',
      { runtime: 'python3.11', handler: 'h.f', function: 'def f(e, c):\n  return 1\n', deps: '-r base.txt' },
      'spec.deps',
      'FieldValueInvalid',
      /list the requirements themselves/,
    ],
    [
      'deps next to +deps',
      { 'function-content-type': 'url+zip+deps', function: 'https://e.com/f.zip', deps: '{}' },
      'spec.deps',
      'FieldValueForbidden',
      /leave spec\.deps empty/,
    ],
    [
      'reserved env name',
      { deployment: deployment([{ name: 'FUNC_TIMEOUT', value: '1' }]) },
      'spec.deployment.spec.template.spec.containers[1].env[0].name',
      'FieldValueForbidden',
      /spec\.timeout/,
    ],
    [
      'deployment that is not a mapping',
      { deployment: 'yes' },
      'spec.deployment',
      'FieldValueInvalid',
      /a mapping/,
    ],
    ['a pubsub function without a topic', { type: 'PubSub' }, 'spec.topic', 'FieldValueRequired', /topic/],
    [
      'a pubsub function with a bad topic',
      { type: 'pubsub', topic: 'a b' },
      'spec.topic',
      'FieldValueInvalid',
      /\[a-zA-Z0-9\._-\]/,
    ],
  ])('reports %s at its field path, with a fix', (_name, spec, field, type, fix) => {
    const errors = validateFunction(validFunction(spec), DEFAULT_CATALOG);
    expect(fields(errors)).toEqual([field]);
    expect(errors[0]?.type).toBe(type);
    expect(errors[0]?.fix).toMatch(fix);
    expect(errors[0]?.message.length).toBeGreaterThan(5);
  });

  it.each([
    { type: 'pubsub', topic: 'orders' },
    { type: 'PubSub', topic: 'test-topic' },
    { type: 'HTTP', topic: '' },
  ])('accepts the seed-era function kinds: %j', (spec) => {
    expect(validateFunction(validFunction(spec), DEFAULT_CATALOG)).toEqual([]);
  });

  it.each([
    'requests==2.31.0 --hash=sha256:0a1b --hash=sha256:2c3d',
    'numpy~=1.26.0\npandas (>=2.0)\nDjango>=4.2,!=4.2.1  # pinned away from a bad release',
    'mypkg @ https://example.com/mypkg-1.0-py3-none-any.whl',
    'git+https://github.com/org/repo.git#egg=repo',
    '--extra-index-url https://pypi.example.com/simple\nprivate-lib==1.0',
  ])('accepts requirements.txt written the ways pip reads it: %j', (deps) => {
    const spec = { runtime: 'python3.12', handler: 'h.f', function: 'def f(e, c):\n  return 1\n', deps };
    expect(validateFunction(validFunction(spec), DEFAULT_CATALOG)).toEqual([]);
  });

  it('rejects 2 MiB of inline code, pointing to a URL source', () => {
    const big = `// ${'x'.repeat(2 * 1024 * 1024)}\nmodule.exports = { hello: () => 1 };`;
    const errors = validateFunction(validFunction({ function: big }), DEFAULT_CATALOG);
    expect(errors).toEqual([expect.objectContaining({ field: 'spec.function', type: 'FieldValueTooLong' })]);
    expect(errors[0]?.message).toMatch(/1 MiB/);
    expect(errors[0]?.fix).toMatch(/https URL.*function-content-type to url/);
  });

  it('accepts code just under the ConfigMap limit', () => {
    const code = `module.exports = { hello: () => 1 }; // ${'x'.repeat(1024 * 1024 - 100)}`;
    expect(validateFunction(validFunction({ function: code }), DEFAULT_CATALOG)).toEqual([]);
  });

  it('reports every problem at once', () => {
    const errors = validateFunction(
      validFunction({ runtime: 'ruby2.4', handler: 'nodot', timeout: 'soon', checksum: 'md5:1' }),
      DEFAULT_CATALOG,
    );
    expect(fields(errors).sort()).toEqual(['spec.checksum', 'spec.handler', 'spec.runtime', 'spec.timeout']);
  });

  it('checks metadata.name, apiVersion and kind', () => {
    const obj = validFunction();
    obj.metadata = { name: 'Hello_World' };
    expect(fields(validateFunction(obj, DEFAULT_CATALOG))).toEqual(['metadata.name']);
    expect(
      fields(validateFunction({ ...validFunction(), apiVersion: 'kubeless.io/v1' }, DEFAULT_CATALOG)),
    ).toEqual(['apiVersion']);
    const { kind: _kind, ...noKind } = validFunction();
    expect(validateFunction(noKind, DEFAULT_CATALOG)).toEqual([
      expect.objectContaining({ field: 'kind', type: 'FieldValueRequired', fix: 'set kind: Function' }),
    ]);
    expect(fields(validateFunction('not an object', DEFAULT_CATALOG))).toEqual(['(root)']);
  });

  it('accepts what kubectl create --dry-run=client -o yaml prints (creationTimestamp: null)', () => {
    const obj = validFunction();
    obj.metadata = { name: 'hello', creationTimestamp: null };
    expect(validateFunction(obj, DEFAULT_CATALOG)).toEqual([]);
    obj.metadata = { name: 'hello', labels: { tier: 1 } };
    expect(validateFunction(obj, DEFAULT_CATALOG)).toEqual([
      expect.objectContaining({ field: 'metadata.labels.tier', type: 'FieldValueInvalid' }),
    ]);
  });

  it('uses the catalog it is given', () => {
    const catalog = { runtimes: [{ ...DEFAULT_CATALOG.runtimes[0]!, id: 'nodejs24' }] };
    expect(validateFunction(validFunction({ runtime: 'nodejs24' }), catalog)).toEqual([]);
    expect(validateFunction(validFunction(), catalog)[0]?.fix).toBe('use one of: nodejs24');
  });
});

describe('trigger validation', () => {
  const meta = { name: 't', namespace: 'default' };
  const head = (kind: string) => ({ apiVersion: 'kubeless.io/v1beta1', kind, metadata: meta });

  it.each<[string, string, Record<string, unknown>, string, RegExp]>([
    [
      'KafkaTrigger',
      'empty selector',
      { topic: 'a', functionSelector: {} },
      'spec.functionSelector',
      /matchLabels/,
    ],
    [
      'KafkaTrigger',
      'bad topic',
      { topic: 'a b', functionSelector: { matchLabels: { a: 'b' } } },
      'spec.topic',
      /\[a-zA-Z0-9\._-\]/,
    ],
    [
      'KafkaTrigger',
      'missing topic',
      { functionSelector: { matchLabels: { a: 'b' } } },
      'spec.topic',
      /spec\.topic/,
    ],
    [
      'KafkaTrigger',
      'dead letters into the same topic',
      { topic: 'a', deadLetterTopic: 'a', functionSelector: { matchLabels: { a: 'b' } } },
      'spec.deadLetterTopic',
      /a\.dlq/,
    ],
    [
      'KafkaTrigger',
      'maxAttempts out of range',
      { topic: 'a', maxAttempts: 0, functionSelector: { matchLabels: { a: 'b' } } },
      'spec.maxAttempts',
      />= 1/,
    ],
    [
      'KafkaTrigger',
      'unknown ordering',
      { topic: 'a', ordering: 'random', functionSelector: { matchLabels: { a: 'b' } } },
      'spec.ordering',
      /partition, key, none/,
    ],
    [
      'KafkaTrigger',
      'In without values',
      { topic: 'a', functionSelector: { matchExpressions: [{ key: 'k', operator: 'In' }] } },
      'spec.functionSelector.matchExpressions[0].values',
      /at least one value/,
    ],
    [
      'KafkaTrigger',
      'unknown operator',
      { topic: 'a', functionSelector: { matchExpressions: [{ key: 'k', operator: 'Has' }] } },
      'spec.functionSelector.matchExpressions[0].operator',
      /In, NotIn, Exists, DoesNotExist/,
    ],
    ['HTTPTrigger', 'missing function-name', { path: '/x' }, 'spec.function-name', /spec\.function-name/],
    [
      'HTTPTrigger',
      'unknown gateway',
      { 'function-name': 'f', gateway: 'envoy' },
      'spec.gateway',
      /nginx, traefik, kong/,
    ],
    [
      'HTTPTrigger',
      'upper-case host',
      { 'function-name': 'f', 'host-name': 'Fn.Example.com' },
      'spec.host-name',
      /lower-case/,
    ],
    [
      'HTTPTrigger',
      'tls and tls-secret',
      { 'function-name': 'f', 'host-name': 'a.b', tls: true, 'tls-secret': 's' },
      'spec.tls-secret',
      /keep one/,
    ],
    [
      'CronJobTrigger',
      'four cron fields',
      { 'function-name': 'f', schedule: '* * * *' },
      'spec.schedule',
      /minute hour/,
    ],
    [
      'CronJobTrigger',
      'minute 61',
      { 'function-name': 'f', schedule: '61 * * * *' },
      'spec.schedule',
      /minute hour/,
    ],
    ['CronJobTrigger', 'blank schedule', { 'function-name': 'f', schedule: ' ' }, 'spec.schedule', /\*\/5/],
    [
      'CronJobTrigger',
      'zone inside the schedule',
      { 'function-name': 'f', schedule: 'CRON_TZ=UTC 0 * * * *' },
      'spec.schedule',
      /timeZone/,
    ],
    [
      'CronJobTrigger',
      'unknown zone',
      { 'function-name': 'f', schedule: '@hourly', timeZone: 'Mars/Olympus' },
      'spec.timeZone',
      /IANA/,
    ],
  ])('%s: reports %s at its field path', (kind, _name, spec, field, fix) => {
    const errors = validateObject(kind, { ...head(kind), spec }, DEFAULT_CATALOG);
    expect(fields(errors)).toEqual([field]);
    expect(errors[0]?.fix).toMatch(fix);
  });

  it('accepts a CronJobTrigger with a time zone and any JSON payload', () => {
    const spec = {
      'function-name': 'f',
      schedule: '30 2 * * 1-5',
      timeZone: 'Europe/Berlin',
      payload: 'text',
    };
    expect(validateObject('CronJobTrigger', { ...head('CronJobTrigger'), spec }, DEFAULT_CATALOG)).toEqual(
      [],
    );
  });

  it('names the valid kinds for an unknown one', () => {
    expect(validateObject('NATSTrigger', {}, DEFAULT_CATALOG)).toEqual([
      expect.objectContaining({
        field: 'kind',
        type: 'FieldValueNotSupported',
        fix: expect.stringContaining('CronJobTrigger'),
      }),
    ]);
  });
});
