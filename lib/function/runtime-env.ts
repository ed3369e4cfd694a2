// The environment a runtime server starts with (the runtime contract of ARCHITECTURE.md and
// ADR 0003), built once for both platforms: the controller writes it into the Deployment's
// runtime container, the local platform passes it to the runtime process.
import type { RuntimeInfo } from '../catalog.js';
import type { FunctionSpec } from '../types.js';
import { DEFAULT_TIMEOUT } from './defaults.js';
import { splitHandler } from './handler.js';

export interface EnvVar {
  name: string;
  value: string;
}

export interface RuntimeEnvTarget {
  /** The Function's metadata.name and metadata.namespace. */
  name: string;
  namespace: string;
  spec: Pick<FunctionSpec, 'handler' | 'timeout'>;
  /** The catalog runtime that runs it (resolved from spec.runtime, which may be an alias). */
  runtime: RuntimeInfo;
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
export function runtimeEnv(target: RuntimeEnvTarget, userEnvNames: Iterable<string> = []): EnvVar[] {
  const { module, functionName } = splitHandler(target.spec.handler);
  const timeout = target.spec.timeout?.trim() || DEFAULT_TIMEOUT;
  const user = new Set(userEnvNames);
  const identity: EnvVar[] = [
    { name: 'FUNC_NAME', value: target.name },
    { name: 'FUNC_NAMESPACE', value: target.namespace },
    { name: 'POD_NAMESPACE', value: target.namespace },
  ];
  return [
    { name: 'FUNC_HANDLER', value: functionName },
    { name: 'MOD_NAME', value: module },
    { name: 'FUNC_TIMEOUT', value: timeout },
    { name: 'FUNC_PORT', value: String(target.port) },
    { name: 'FUNC_RUNTIME', value: target.runtime.id },
    ...identity.filter((v) => !user.has(v.name)),
    { name: 'KUBELESS_INSTALL_VOLUME', value: target.installVolume },
  ];
}
