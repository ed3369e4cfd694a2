// Reads the runtime's environment contract once, so the hot path never touches process.env.
export interface RuntimeConfig {
  installVolume: string;
  modName: string;
  handlerName: string;
  functionName: string;
  port: number;
  /** Address to bind; unset means every interface (what a pod needs). */
  host: string | undefined;
  timeoutMs: number;
  timeoutSeconds: string;
  runtime: string;
  memoryLimit: string;
  bodyLimit: number;
  namespace: string;
}

export class ConfigError extends Error {}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, allowZero = false): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} is not a valid number; set it to a positive number`,
    );
  }
  return value;
}

/** Handler spec may be `module.function` (original Kubeless) or just `function` with MOD_NAME. */
export function readConfig(env: NodeJS.ProcessEnv): RuntimeConfig {
  let modName = env.MOD_NAME ?? '';
  let handlerName = env.FUNC_HANDLER ?? '';
  if (modName === '' && handlerName.includes('.')) {
    const dot = handlerName.lastIndexOf('.');
    modName = handlerName.slice(0, dot);
    handlerName = handlerName.slice(dot + 1);
  }
  if (modName === '') {
    throw new ConfigError(
      'MOD_NAME is not set; set it to the module file name without its suffix (e.g. "hello")',
    );
  }
  const timeoutSeconds = positiveNumber(env, 'FUNC_TIMEOUT', 180);
  return {
    installVolume: env.KUBELESS_INSTALL_VOLUME ?? '/kubeless',
    modName,
    handlerName,
    functionName: env.FUNC_NAME ?? env.HOSTNAME?.replace(/-[a-z0-9]+-[a-z0-9]+$/, '') ?? modName,
    port: positiveNumber(env, 'FUNC_PORT', 8080, true),
    host: env.KUBELESS_LISTEN_HOST || undefined,
    timeoutMs: Math.round(timeoutSeconds * 1000),
    timeoutSeconds: String(timeoutSeconds),
    runtime: env.FUNC_RUNTIME ?? `nodejs${process.versions.node.split('.')[0]}`,
    memoryLimit: env.FUNC_MEMORY_LIMIT ?? '0',
    bodyLimit: positiveNumber(env, 'KUBELESS_BODY_LIMIT', DEFAULT_BODY_LIMIT),
    namespace: env.POD_NAMESPACE ?? env.FUNC_NAMESPACE ?? 'default',
  };
}

/** The pool-mode line on stdin: `{"env": {...}}` with string values only. */
export function parsePoolConfig(line: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new ConfigError(
      `pool config on stdin is not JSON (${(err as Error).message}); send one line {"env": {...}}`,
    );
  }
  const env = (parsed as { env?: unknown } | null)?.env;
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw new ConfigError(
      'pool config on stdin has no "env" object; send one line {"env": {"FUNC_HANDLER": "..."}}',
    );
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (typeof v !== 'string') {
      throw new ConfigError(`pool config env.${k} must be a string, got ${typeof v}`);
    }
    out[k] = v;
  }
  return out;
}
