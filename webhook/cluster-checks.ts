import type { FieldError, KubeObject } from './model.js';

// Rules that depend on other objects in the cluster (rules about one object alone, such as a
// KafkaTrigger's non-empty selector, live in the shared model). Decisions are pure; the reader is
// the I/O edge.

export interface HTTPTriggerRef {
  namespace: string;
  name: string;
  host: string;
  path: string;
}

export interface ClusterReader {
  secretExists(namespace: string, name: string): Promise<boolean>;
  /** Every HTTPTrigger in the cluster (routes are cluster-wide: one ingress controller serves all). */
  httpTriggers(): Promise<HTTPTriggerRef[]>;
}

const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `/a/b/` and `a/b` are the same route to an ingress controller. */
export function normalizePath(path: string): string {
  const trimmed = path.trim().replace(/\/+/g, '/').replace(/\/$/, '');
  return trimmed.startsWith('/') ? trimmed || '/' : `/${trimmed}`;
}

export function routeOf(namespace: string, obj: KubeObject): HTTPTriggerRef {
  const spec = rec(obj.spec);
  return {
    namespace,
    name: str(rec(obj.metadata).name),
    host: str(spec['host-name']).toLowerCase(),
    path: normalizePath(str(spec.path)),
  };
}

export function routeConflicts(route: HTTPTriggerRef, others: HTTPTriggerRef[]): FieldError[] {
  const taken = others.find(
    (o) =>
      !(o.namespace === route.namespace && o.name === route.name) &&
      o.host.toLowerCase() === route.host &&
      normalizePath(o.path) === route.path,
  );
  if (!taken) return [];
  return [
    {
      field: 'spec.path',
      type: 'FieldValueInvalid',
      message: `host "${route.host || '*'}" path "${route.path}" is already routed by HTTPTrigger ${taken.namespace}/${taken.name}`,
      fix: 'choose another spec.path or spec.host-name, or delete the other HTTPTrigger',
    },
  ];
}

/** The Secrets an HTTPTrigger refers to, with the field that names each. */
export function referencedSecrets(obj: KubeObject): { field: string; name: string }[] {
  const spec = rec(obj.spec);
  return (['tls-secret', 'basic-auth-secret'] as const)
    .filter((k) => str(spec[k]) !== '')
    .map((k) => ({ field: `spec.${k}`, name: str(spec[k]) }));
}

export function missingSecretError(field: string, namespace: string, name: string): FieldError {
  return {
    field,
    type: 'FieldValueInvalid',
    message: `Secret "${name}" does not exist in namespace "${namespace}"`,
    fix: `create it first (kubectl create secret ... -n ${namespace} ${name}) or correct ${field}`,
  };
}

/** Runs the cluster-dependent rules for one object. Lookup failures propagate to the caller. */
export async function clusterErrors(
  kind: string,
  namespace: string,
  obj: KubeObject,
  reader: ClusterReader,
): Promise<FieldError[]> {
  if (kind !== 'HTTPTrigger') return [];
  const secrets = referencedSecrets(obj);
  const [exists, triggers] = await Promise.all([
    Promise.all(secrets.map((s) => reader.secretExists(namespace, s.name))),
    reader.httpTriggers(),
  ]);
  const errors = secrets
    .filter((_, i) => !exists[i])
    .map((s) => missingSecretError(s.field, namespace, s.name));
  return [...errors, ...routeConflicts(routeOf(namespace, obj), triggers)];
}
