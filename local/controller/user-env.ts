// The user's environment variables for the runtime process, read from the same place the cluster
// controller reads them (spec.deployment's runtime container, where `kubeless function deploy
// --env` writes them). Pure.
import { userEnvEntries } from '../../lib/function/resolve.js';

export interface UserEnv {
  env: Record<string, string>;
  /** Variables that only a cluster can fill (Secrets, ConfigMaps, resource fields), with why. */
  skipped: string[];
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** `$(NAME)` references to variables defined earlier, expanded as the kubelet does; `$$` escapes. */
export function expandRefs(value: string, known: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m: string, name?: string) => {
    if (m === '$$') return '$';
    return name !== undefined && name in known ? known[name]! : m;
  });
}

export function userEnv(deployment: unknown, fnName: string, namespace: string): UserEnv {
  // The same container the cluster's controller merges its env into (lib/function/resolve.ts).
  const entries = userEnvEntries(deployment, fnName).map(record);
  const env: Record<string, string> = {};
  const skipped: string[] = [];
  for (const e of entries) {
    const name = e?.name;
    if (typeof name !== 'string' || name === '') continue;
    if (typeof e?.value === 'string') {
      env[name] = expandRefs(e.value, env);
      continue;
    }
    const fieldPath = record(record(e?.valueFrom)?.fieldRef)?.fieldPath;
    // The two pod fields that have a meaning without a pod.
    if (fieldPath === 'metadata.namespace') env[name] = namespace;
    else if (e?.valueFrom === undefined) env[name] = '';
    else
      skipped.push(
        `${name} (valueFrom ${Object.keys(record(e.valueFrom) ?? {}).join(', ') || 'unknown'} needs a cluster; set value instead to try it locally)`,
      );
  }
  return { env, skipped };
}
