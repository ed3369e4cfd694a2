// Env names the controller owns on the runtime container (the runtime contract). A user value
// in spec.deployment would be overwritten, or would break the runtime if it won.
import { type FieldError, child, forbidden } from './errors.js';

/** Env names the controller sets on the runtime container; a user value would be overwritten or break it. */
export const RESERVED_ENV = [
  'FUNC_HANDLER',
  'MOD_NAME',
  'FUNC_TIMEOUT',
  'FUNC_PORT',
  'FUNC_RUNTIME',
  'FUNC_MEMORY_LIMIT',
  'KUBELESS_INSTALL_VOLUME',
] as const;

const RESERVED_ENV_FIX: Record<string, string> = {
  FUNC_HANDLER: 'set spec.handler instead',
  MOD_NAME: 'set spec.handler instead',
  FUNC_TIMEOUT: 'set spec.timeout instead',
  FUNC_RUNTIME: 'set spec.runtime instead',
  FUNC_MEMORY_LIMIT: 'set resources.limits.memory on the container instead',
  FUNC_PORT:
    "the runtime listens on spec.service.ports' targetPort (8080 by default): set it there (kubeless function deploy --port)",
  KUBELESS_INSTALL_VOLUME: 'the code is always materialised at /kubeless',
};

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Reserved env names set in spec.deployment's containers, each at its field path. */
export function checkReservedEnv(deployment: unknown): FieldError[] {
  const base = 'spec.deployment.spec.template.spec';
  const podSpec = asRecord(asRecord(asRecord(asRecord(deployment)?.spec)?.template)?.spec);
  const containers = podSpec?.containers;
  if (!Array.isArray(containers)) return [];
  const errors: FieldError[] = [];
  containers.forEach((container, i) => {
    const env = asRecord(container)?.env;
    if (!Array.isArray(env)) return;
    env.forEach((entry, j) => {
      const name = asRecord(entry)?.name;
      if (typeof name === 'string' && (RESERVED_ENV as readonly string[]).includes(name)) {
        errors.push(
          forbidden(
            child(child(child(child(base, 'containers'), i), 'env'), j) + '.name',
            `${name} is set by Kubeless on the runtime container`,
            `remove it; ${RESERVED_ENV_FIX[name] ?? 'use another variable name'}`,
          ),
        );
      }
    });
  });
  return errors;
}
