// What makes a CRD schema acceptable to apiextensions.k8s.io/v1, as the Kubernetes documentation
// ("Specifying a structural schema", CustomResourceDefinition API reference) states it.

/** Every keyword a JSONSchemaProps of apiextensions.k8s.io/v1 has a field for. */
const ALLOWED = new Set([
  'description',
  'type',
  'format',
  'title',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
  'additionalProperties',
  'nullable',
  'example',
  'externalDocs',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);
// Fields JSONSchemaProps has but a structural schema (and so every v1 CRD) must not use.
const FORBIDDEN = new Set([
  '$ref',
  '$schema',
  'id',
  'definitions',
  'dependencies',
  'patternProperties',
  'additionalItems',
]);
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const JUNCTORS = ['allOf', 'anyOf', 'oneOf', 'not'];
// Inside a junctor these may not appear: the structure must be fully given outside of them.
const NOT_IN_JUNCTORS = ['description', 'type', 'default', 'additionalProperties', 'nullable'];

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkJunctorBranch(branch: unknown, at: string, problems: string[]): void {
  if (!isNode(branch)) return;
  for (const key of NOT_IN_JUNCTORS) {
    if (key in branch) problems.push(`${at}: ${key} is not allowed inside ${at.split('.').pop()}`);
  }
  for (const sub of Object.values((branch.properties ?? {}) as Node)) checkJunctorBranch(sub, at, problems);
  if (isNode(branch.items)) checkJunctorBranch(branch.items, at, problems);
}

function walk(node: unknown, at: string, problems: string[], isRoot: boolean): void {
  if (!isNode(node)) {
    problems.push(`${at}: a schema must be a mapping`);
    return;
  }
  for (const key of Object.keys(node)) {
    if (FORBIDDEN.has(key)) problems.push(`${at}: ${key} is not allowed in a structural schema`);
    else if (!ALLOWED.has(key)) problems.push(`${at}: unknown keyword ${key}`);
  }
  const lenient =
    node['x-kubernetes-preserve-unknown-fields'] === true || node['x-kubernetes-int-or-string'] === true;
  if (node.type === undefined) {
    if (!lenient) problems.push(`${at}: no type`);
  } else if (typeof node.type !== 'string' || !TYPES.has(node.type)) {
    problems.push(`${at}: type ${JSON.stringify(node.type)} is not one of ${[...TYPES].join(', ')}`);
  }
  if (node.uniqueItems === true)
    problems.push(`${at}: uniqueItems: true is not allowed (quadratic to check)`);
  if (node.additionalProperties === false) problems.push(`${at}: additionalProperties: false is not allowed`);
  if (node.properties !== undefined && node.additionalProperties !== undefined) {
    problems.push(`${at}: properties and additionalProperties are mutually exclusive`);
  }
  for (const j of JUNCTORS) {
    const branches = j === 'not' ? [node[j]] : ((node[j] ?? []) as unknown[]);
    if (node[j] !== undefined) branches.forEach((b) => checkJunctorBranch(b, `${at}.${j}`, problems));
  }
  if (node.properties !== undefined) {
    if (!isNode(node.properties)) problems.push(`${at}.properties: must be a mapping`);
    else {
      for (const [name, sub] of Object.entries(node.properties)) {
        if (isRoot && name === 'metadata') {
          const restricted = Object.keys(
            (isNode(sub) && isNode(sub.properties) ? sub.properties : {}) as Node,
          );
          if (
            !isNode(sub) ||
            sub.type !== 'object' ||
            restricted.some((k) => k !== 'name' && k !== 'generateName')
          ) {
            problems.push(
              `${at}.properties.metadata: only type object and restrictions of name and generateName are allowed`,
            );
          }
          continue;
        }
        walk(sub, `${at}.properties.${name}`, problems, false);
      }
    }
  }
  if (node.items !== undefined) {
    if (Array.isArray(node.items)) problems.push(`${at}.items: items must be one schema, not a list`);
    else walk(node.items, `${at}.items`, problems, false);
  } else if (node.type === 'array') {
    problems.push(`${at}: an array needs items`);
  }
  if (isNode(node.additionalProperties))
    walk(node.additionalProperties, `${at}.additionalProperties`, problems, false);
}

/** Every way `schema` falls short of a structural apiextensions.k8s.io/v1 schema; empty when it is one. */
export function findStructuralProblems(schema: unknown): string[] {
  const problems: string[] = [];
  walk(schema, '(root)', problems, true);
  return problems;
}
