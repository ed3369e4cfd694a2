import type { RuntimeCatalog } from '../lib/catalog.js';
import { runtimeWarnings } from '../lib/function/runtime-warnings.js';
import type { KubeObject } from './model.js';

// Deprecated usage that is still accepted: the apiserver shows these to the user (kubectl prints
// "Warning: ...") without refusing the object.

const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function functionWarnings(obj: KubeObject, catalog: RuntimeCatalog, now: Date): string[] {
  return runtimeWarnings(rec(obj.spec).runtime, catalog, now);
}

export function triggerWarnings(kind: string, obj: KubeObject): string[] {
  const spec = rec(obj.spec);
  if (kind === 'HTTPTrigger' && spec.tls === true && !spec['tls-secret']) {
    return [
      'spec.tls (ACME through ingress annotations) is deprecated; set spec.tls-secret to a certificate Secret instead',
    ];
  }
  return [];
}

/**
 * Kubeless 1.x manifests wrote `timeout: 180` unquoted in places, which the schema (a string, as the
 * original API had it) refuses. The mutating webhook quotes it and says so, instead of failing.
 */
export function normalizeDeprecated(obj: KubeObject): { obj: KubeObject; warnings: string[] } {
  const spec = rec(obj.spec);
  if (typeof spec.timeout !== 'number' || !Number.isInteger(spec.timeout) || spec.timeout <= 0) {
    return { obj, warnings: [] };
  }
  const timeout = String(spec.timeout);
  return {
    obj: { ...obj, spec: { ...spec, timeout } },
    warnings: [
      `spec.timeout was given as the number ${timeout} and stored as the string "${timeout}"; write it quoted (timeout: "${timeout}")`,
    ],
  };
}
