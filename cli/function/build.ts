import { HANDLER_PATTERN, validateName } from '../../lib/function/rules.js';
import { CliError } from '../errors.js';
import type { Container, EnvVar, FunctionObject } from '../kube/types.js';
import { FUNCTION_API_VERSION } from '../kube/types.js';
import type { FunctionSource } from './source.js';

/** The user's flags after files were read; every field but name/namespace is optional. */
export interface FunctionFlags {
  name: string;
  namespace: string;
  runtime?: string;
  handler?: string;
  source?: FunctionSource;
  deps?: string;
  /** `K=V` sets a variable, `K-` removes it (as in `kubectl set env`). */
  env?: string[];
  /** `K=V` sets a label, `K-` removes it. */
  labels?: string[];
  timeout?: string;
  memory?: string;
  cpu?: string;
}

const HANDLER_RE = new RegExp(HANDLER_PATTERN);
const QUANTITY_RE = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const ENV_NAME_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Function names become Service names; the shared rule decides, so CLI and server agree. */
export function checkName(name: string): void {
  const [problem] = validateName(
    { name },
    'Function',
    'it names the Service and Deployment that run the function',
  );
  if (problem) throw new CliError(`invalid function name "${name}": ${problem.fix}`);
}

export interface KeyValueChange {
  set: Record<string, string>;
  remove: string[];
}

/** Parses repeatable `K=V` / `K-` flags; `flag` names the flag in the error. */
export function parseKeyValues(items: string[] | undefined, flag: string): KeyValueChange {
  const change: KeyValueChange = { set: {}, remove: [] };
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq > 0) {
      change.set[item.slice(0, eq)] = item.slice(eq + 1);
    } else if (eq < 0 && item.endsWith('-') && item.length > 1) {
      change.remove.push(item.slice(0, -1));
    } else {
      throw new CliError(`invalid ${flag} "${item}": write KEY=VALUE to set, or KEY- to remove`);
    }
  }
  return change;
}

function checkTimeout(timeout: string): void {
  if (!/^[1-9][0-9]*$/.test(timeout)) {
    throw new CliError(`invalid --timeout "${timeout}": give whole seconds, e.g. --timeout 30`);
  }
}

function checkQuantity(value: string, flag: string, example: string): void {
  if (!QUANTITY_RE.test(value)) {
    throw new CliError(`invalid ${flag} "${value}": give a Kubernetes quantity, e.g. ${flag} ${example}`);
  }
}

function applyEnv(current: EnvVar[] | undefined, change: KeyValueChange): EnvVar[] {
  for (const name of Object.keys(change.set)) {
    if (!ENV_NAME_RE.test(name)) {
      throw new CliError(
        `invalid --env name "${name}": use letters, digits, '_', '-' and '.', not starting with a digit`,
      );
    }
  }
  const result: EnvVar[] = [];
  for (const e of current ?? []) {
    if (change.remove.includes(e.name)) continue;
    // A variable set from the command line replaces any valueFrom it had.
    result.push(Object.hasOwn(change.set, e.name) ? { name: e.name, value: change.set[e.name] } : e);
  }
  for (const [name, value] of Object.entries(change.set)) {
    if (!result.some((e) => e.name === name)) result.push({ name, value });
  }
  return result;
}

function applyLabels(
  current: Record<string, string> | undefined,
  change: KeyValueChange,
): Record<string, string> {
  const next = { ...(current ?? {}) };
  for (const key of change.remove) delete next[key];
  return { ...next, ...change.set };
}

function setResource(container: Container, resource: 'memory' | 'cpu', value: string): Container {
  // Same value as request and limit, as the original Kubeless did: the function gets what it asks.
  const resources = container.resources ?? {};
  return {
    ...container,
    resources: {
      ...resources,
      limits: { ...(resources.limits ?? {}), [resource]: value },
      requests: { ...(resources.requests ?? {}), [resource]: value },
    },
  };
}

/** Copies `fn` with the given flags applied; flags left out keep what the object has. */
export function applyFlags(fn: FunctionObject, flags: FunctionFlags): FunctionObject {
  if (flags.timeout !== undefined) checkTimeout(flags.timeout);
  if (flags.memory !== undefined) checkQuantity(flags.memory, '--memory', '128Mi');
  if (flags.cpu !== undefined) checkQuantity(flags.cpu, '--cpu', '250m');
  const spec = { ...fn.spec };
  if (flags.runtime !== undefined) spec.runtime = flags.runtime;
  if (flags.handler !== undefined) spec.handler = flags.handler;
  if (flags.deps !== undefined) spec.deps = flags.deps;
  if (flags.timeout !== undefined) spec.timeout = flags.timeout;
  if (flags.source) {
    spec.function = flags.source.content;
    spec['function-content-type'] = flags.source.contentType;
    spec.checksum = flags.source.checksum;
  }
  const envChange = parseKeyValues(flags.env, '--env');
  const touchesContainer =
    Object.keys(envChange.set).length > 0 ||
    envChange.remove.length > 0 ||
    flags.memory !== undefined ||
    flags.cpu !== undefined;
  if (touchesContainer) {
    const deployment = spec.deployment ?? {};
    const podSpec = deployment.spec?.template?.spec ?? {};
    const containers = [...(podSpec.containers ?? [])];
    let container: Container = { ...(containers[0] ?? {}) };
    if (Object.keys(envChange.set).length > 0 || envChange.remove.length > 0) {
      container.env = applyEnv(container.env, envChange);
    }
    if (flags.memory !== undefined) container = setResource(container, 'memory', flags.memory);
    if (flags.cpu !== undefined) container = setResource(container, 'cpu', flags.cpu);
    containers[0] = container;
    spec.deployment = {
      ...deployment,
      spec: {
        ...deployment.spec,
        template: { ...deployment.spec?.template, spec: { ...podSpec, containers } },
      },
    };
  }
  const labelChange = parseKeyValues(flags.labels, '--label');
  const metadata = { ...fn.metadata };
  if (Object.keys(labelChange.set).length > 0 || labelChange.remove.length > 0) {
    metadata.labels = applyLabels(metadata.labels, labelChange);
  }
  return { ...fn, metadata, spec };
}

/** The Function `deploy` creates; refuses before sending when a required flag is missing. */
export function newFunction(flags: FunctionFlags): FunctionObject {
  checkName(flags.name);
  const missing: string[] = [];
  if (!flags.source) missing.push('--from-file <file or URL>');
  if (!flags.handler) missing.push('--handler <module>.<function>');
  if (!flags.runtime) missing.push('--runtime <id, e.g. nodejs20 or python3.11>');
  if (missing.length > 0) {
    throw new CliError(`cannot deploy "${flags.name}": missing ${missing.join(', ')}`);
  }
  if (flags.handler && !HANDLER_RE.test(flags.handler)) {
    throw new CliError(
      `invalid --handler "${flags.handler}": write <module>.<function>, e.g. --handler hello.handler`,
    );
  }
  const empty: FunctionObject = {
    apiVersion: FUNCTION_API_VERSION,
    kind: 'Function',
    metadata: { name: flags.name, namespace: flags.namespace },
    spec: { deps: '' },
  };
  return applyFlags(empty, flags);
}
