import type { KubeObject } from './model.js';

// Deprecated usage that is still accepted: the apiserver shows these to the user (kubectl prints
// "Warning: ...") without refusing the object.

/** Upstream end-of-life dates of the language versions the catalog ships. */
export const RUNTIME_END_OF_LIFE: Readonly<Record<string, { date: string; successor: string }>> = {
  nodejs18: { date: '2025-04-30', successor: 'nodejs22' },
  nodejs20: { date: '2026-04-30', successor: 'nodejs22' },
  nodejs22: { date: '2027-04-30', successor: 'nodejs24' },
  'python3.9': { date: '2025-10-31', successor: 'python3.12' },
  'python3.10': { date: '2026-10-31', successor: 'python3.12' },
  'python3.11': { date: '2027-10-31', successor: 'python3.12' },
  'python3.12': { date: '2028-10-31', successor: 'python3.13' },
};

const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function functionWarnings(obj: KubeObject, now: Date): string[] {
  const spec = rec(obj.spec);
  const out: string[] = [];
  const runtime = typeof spec.runtime === 'string' ? spec.runtime : '';
  const eol = RUNTIME_END_OF_LIFE[runtime];
  if (eol && now.getTime() >= Date.parse(eol.date)) {
    out.push(
      `spec.runtime ${runtime} reached its upstream end of life on ${eol.date} and gets no security fixes; move to ${eol.successor}`,
    );
  }
  return out;
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
