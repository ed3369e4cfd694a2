// The environment a runtime server starts with (the runtime contract of ARCHITECTURE.md and
// ADR 0003), built once for both platforms from the resolved Function: the controller writes it
// into the Deployment's runtime container, the local platform passes it to the runtime process.
import type { ResolvedFunction } from './resolve.js';

export interface EnvVar {
  name: string;
  value: string;
}

/** What differs between the platforms: where the runtime listens and where its code lies. */
export interface RuntimePlacement {
  /** FUNC_PORT: the Function's runtime port in a pod, a free port locally. */
  port: number;
  /** Where the code and its dependencies are: /kubeless in a pod, the function's directory locally. */
  installVolume: string;
}

/**
 * Who the function is. The runtimes label their logs with these and hand the name to the handler
 * (`context['function-name']`). A user who sets one in spec.deployment (manifests for the original
 * Kubeless often set POD_NAMESPACE from the pod's fieldRef) keeps theirs.
 */
export const IDENTITY_ENV = ['FUNC_NAME', 'FUNC_NAMESPACE', 'POD_NAMESPACE'] as const;

/**
 * The runtime's environment in a fixed order. `FUNC_MEMORY_LIMIT` is not in it: a pod reads it
 * from its container's own limit, a local process has no limit. `userEnvNames` are the variables
 * the user defines; the identity variables among them are left to the user.
 */
export function runtimeEnv(
  fn: Pick<ResolvedFunction, 'name' | 'namespace' | 'handler' | 'timeoutSeconds' | 'runtime'>,
  where: RuntimePlacement,
  userEnvNames: Iterable<string> = [],
): EnvVar[] {
  const user = new Set(userEnvNames);
  const identity: EnvVar[] = [
    { name: 'FUNC_NAME', value: fn.name },
    { name: 'FUNC_NAMESPACE', value: fn.namespace },
    { name: 'POD_NAMESPACE', value: fn.namespace },
  ];
  return [
    { name: 'FUNC_HANDLER', value: fn.handler.functionName },
    { name: 'MOD_NAME', value: fn.handler.module },
    { name: 'FUNC_TIMEOUT', value: String(fn.timeoutSeconds) },
    { name: 'FUNC_PORT', value: String(where.port) },
    { name: 'FUNC_RUNTIME', value: fn.runtime.id },
    ...identity.filter((v) => !user.has(v.name)),
    { name: 'KUBELESS_INSTALL_VOLUME', value: where.installVolume },
  ];
}
