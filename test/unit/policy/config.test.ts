import { describe, expect, test } from '@jest/globals';
import { DEFAULT_POLICY, parsePolicy } from '../../../lib/policy/config.js';
import { kafkaTopicErrors, topicAllowed } from '../../../lib/policy/kafka-topics.js';

describe('parsePolicy', () => {
  test('empty or partial documents take the defaults', () => {
    expect(parsePolicy('')).toEqual(DEFAULT_POLICY);
    expect(parsePolicy('functions: {allowExternalIPs: true}').functions).toEqual({
      ...DEFAULT_POLICY.functions,
      allowExternalIPs: true,
    });
  });

  test.each([
    ['functions: {podSecurity: lax}', /functions.podSecurity must be restricted, baseline or privileged/],
    ['functions: {allowedServiceTypes: [Ingress]}', /"Ingress" is not a Service type/],
    ['functions: {allowExternalIPs: "yes"}', /functions.allowExternalIPs must be true or false/],
    ['functions: {allowedServiceAcounts: [a]}', /unknown key\(s\) allowedServiceAcounts/],
    ['kafkaTopics: {namespaces: {a: "x"}}', /kafkaTopics.namespaces.a must be a list/],
    ['[1, 2]', /expected a mapping/],
    ['{', /not valid JSON or YAML/],
  ])('%s is refused with the key and what to write', (text, message) => {
    expect(() => parsePolicy(text, 'policy.json')).toThrow(message);
    expect(() => parsePolicy(text, 'policy.json')).toThrow(/^policy.json: /);
  });
});

describe('Kafka topic rules', () => {
  const policy = { default: ['{namespace}.*'], namespaces: { ops: ['*'], closed: [] } };
  test('prefix, exact and * patterns; {namespace} is the trigger’s; a namespace entry replaces the default', () => {
    expect(topicAllowed(policy, 'a', 'a.x')).toBe(true);
    expect(topicAllowed(policy, 'a', 'a')).toBe(false);
    expect(topicAllowed(policy, 'ops', 'anything')).toBe(true);
    expect(topicAllowed(policy, 'closed', 'closed.x')).toBe(false);
    expect(topicAllowed(policy, 'constructor', 'constructor.x')).toBe(true);
  });
  test('an empty list allows nothing and says so', () => {
    expect(kafkaTopicErrors('closed', { topic: 'closed.x' }, policy)[0]?.message).toContain(
      'only the topics (none)',
    );
  });
});
