// Label keys and values, and environment variable names, checked by the rules kube-apiserver
// applies, so the CLI, the webhook and the local platform refuse what a cluster would refuse
// (and the local platform never stores an object a cluster could not hold).
import { type FieldError, child, invalid, quote } from './errors.js';

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_NAME_PART = 63;
const MAX_PREFIX = 253;

/**
 * Environment variable names every supported Kubernetes version accepts. Clusters from 1.32 on
 * also take most printable characters, but 1.30 and 1.31 do not, and a Function must run anywhere.
 */
export const ENV_NAME_PATTERN = '^[-._a-zA-Z][-._a-zA-Z0-9]*$';
const ENV_NAME = new RegExp(ENV_NAME_PATTERN);

const NAME_PART_RULE =
  "consist of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";

/** What is wrong with a label key (a Kubernetes qualified name), or undefined when it is valid. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) {
    return `a label key is an optional DNS subdomain prefix and '/', then a name; it has more than one '/'`;
  }
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') return "the prefix before '/' must not be empty";
    if (prefix.length > MAX_PREFIX) return `the prefix must be no more than ${MAX_PREFIX} characters`;
    if (!DNS1123_SUBDOMAIN.test(prefix)) {
      return "the prefix must be a lower-case DNS subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. 'example.com')";
    }
  }
  if (name === '') return 'the name part must not be empty';
  if (name.length > MAX_NAME_PART) return `the name part must be no more than ${MAX_NAME_PART} characters`;
  if (!NAME_PART.test(name)) return `the name part must ${NAME_PART_RULE}`;
  return undefined;
}

/** What is wrong with a label value, or undefined when it is valid (empty is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > MAX_NAME_PART) return `a label value must be no more than ${MAX_NAME_PART} characters`;
  if (!NAME_PART.test(value)) return `a label value must be empty or ${NAME_PART_RULE}`;
  return undefined;
}

/** What is wrong with an environment variable name, or undefined when every cluster accepts it. */
export function envNameProblem(name: string): string | undefined {
  if (name === '') return 'an environment variable name must not be empty';
  if (!ENV_NAME.test(name)) {
    return "an environment variable name must consist of letters, digits, '_', '-' or '.', and must not start with a digit (e.g. 'MY_ENV.NAME' or 'my-env')";
  }
  return undefined;
}

const LABEL_FIX =
  "use keys like 'app' or 'example.com/tier' and values of at most 63 letters, digits, '-', '_' or '.' that start and end with a letter or digit";

/**
 * Every invalid key and value of a label map (metadata.labels, a nodeSelector, a matchLabels),
 * reported at `field` with the offending text, as kube-apiserver reports them.
 */
export function validateLabelMap(labels: unknown, field: string): FieldError[] {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return [];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) errors.push(invalid(field, `${quote(key)}: ${keyProblem}`, LABEL_FIX));
    if (typeof value !== 'string') continue;
    const valueProblem = labelValueProblem(value);
    if (valueProblem) errors.push(invalid(field, `${quote(value)}: ${valueProblem}`, LABEL_FIX));
  }
  return errors;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The pod template of `spec.deployment` as the cluster will see it: env names of every
 * container (and init container) and the node selector. Invalid ones would only fail later,
 * when the controller creates the Deployment, far from the user who wrote them.
 */
export function validatePodTemplate(deployment: unknown): FieldError[] {
  const base = 'spec.deployment.spec.template.spec';
  const podSpec = record(record(record(record(deployment)?.spec)?.template)?.spec);
  if (!podSpec) return [];
  const errors = validateLabelMap(podSpec.nodeSelector, child(base, 'nodeSelector'));
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, i) => {
      const env = record(container)?.env;
      if (!Array.isArray(env)) return;
      env.forEach((entry, j) => {
        const name = record(entry)?.name;
        if (typeof name !== 'string') return;
        const problem = envNameProblem(name);
        if (problem) {
          errors.push(
            invalid(
              `${child(child(child(child(base, list), i), 'env'), j)}.name`,
              `${quote(name)}: ${problem}`,
              "rename the variable, e.g. MY_SETTING instead of 'my setting'",
            ),
          );
        }
      });
    });
  }
  return errors;
}
