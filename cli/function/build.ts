import { HANDLER_PATTERN } from '../../lib/function/rules.js';
import { parseDuration } from '../../lib/server/flags.js';
import { checkName } from './name.js';
import { CliError } from '../errors.js';
import type { FunctionObject } from '../kube/types.js';
import { API_VERSION } from '../../lib/types.js';
import { applyToMap, checkLabels, isEmptyChange, parseKeyValues } from './key-values.js';
import { applyPodFlags, type PodFlags } from './pod-flags.js';
import { applyServiceFlags, type ServiceFlags } from './service-flags.js';
import type { FunctionSource } from './source.js';

export { parseKeyValues, type KeyValueChange } from './key-values.js';
export { checkName } from './name.js';

/** The user's flags after files were read; every field but name/namespace is optional. */
export interface FunctionFlags extends PodFlags, ServiceFlags {
  name: string;
  namespace: string;
  runtime?: string;
  handler?: string;
  source?: FunctionSource;
  deps?: string;
  /** `K=V`, `K:V` or `K` sets a label (comma lists allowed), `K-` removes it. */
  labels?: string[];
  timeout?: string;
}

const HANDLER_RE = new RegExp(HANDLER_PATTERN);

/** `--timeout 30` or `--timeout 5m`; spec.timeout holds whole seconds as text, as the original's did. */
function timeoutSeconds(timeout: string): string {
  try {
    return String(parseDuration(timeout, '--timeout', { bare: 's', minMs: 1000, wholeSeconds: true }) / 1000);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** Copies `fn` with the given flags applied; flags left out keep what the object has. */
export function applyFlags(fn: FunctionObject, flags: FunctionFlags): FunctionObject {
  const timeout = flags.timeout !== undefined ? timeoutSeconds(flags.timeout) : undefined;
  const labelChange = parseKeyValues(flags.labels, '--label');
  checkLabels(labelChange, '--label');
  const spec = { ...fn.spec };
  if (flags.runtime !== undefined) spec.runtime = flags.runtime;
  if (flags.handler !== undefined) spec.handler = flags.handler;
  if (flags.deps !== undefined) spec.deps = flags.deps;
  if (timeout !== undefined) spec.timeout = timeout;
  if (flags.source) {
    spec.function = flags.source.content;
    spec['function-content-type'] = flags.source.contentType;
    spec.checksum = flags.source.checksum;
  }
  const deployment = applyPodFlags(spec.deployment, flags);
  if (deployment !== undefined) spec.deployment = deployment;
  const service = applyServiceFlags(spec.service, flags);
  if (service !== undefined) spec.service = service;
  const metadata = { ...fn.metadata };
  if (!isEmptyChange(labelChange)) metadata.labels = applyToMap(metadata.labels, labelChange);
  return { ...fn, metadata, spec };
}

/**
 * The labels the original CLI gave every function it deployed; KafkaTriggers of the original's
 * examples select functions by them (`--function-selector created-by=kubeless,function=<name>`).
 */
export function defaultLabels(name: string): Record<string, string> {
  return { 'created-by': 'kubeless', function: name };
}

/** The Function `deploy` creates; refuses before sending when a required flag is missing. */
export function newFunction(flags: FunctionFlags): FunctionObject {
  checkName(flags.name);
  const missing: string[] = [];
  if (!flags.source) missing.push('--from-file <file or URL>');
  if (!flags.handler) missing.push('--handler <module>.<function>');
  if (!flags.runtime) missing.push('--runtime <id, e.g. nodejs20 or python3.11>');
  if (missing.length > 0) {
    const image =
      flags.runtimeImage && !flags.runtime
        ? ' (--runtime-image only replaces the image; --runtime still picks the language and its contract)'
        : '';
    throw new CliError(`cannot deploy "${flags.name}": missing ${missing.join(', ')}${image}`);
  }
  if (flags.handler && !HANDLER_RE.test(flags.handler)) {
    throw new CliError(
      `invalid --handler "${flags.handler}": write <module>.<function>, e.g. --handler hello.handler`,
    );
  }
  const empty: FunctionObject = {
    apiVersion: API_VERSION,
    kind: 'Function',
    metadata: { name: flags.name, namespace: flags.namespace, labels: defaultLabels(flags.name) },
    spec: { deps: '' },
  };
  return applyFlags(empty, flags);
}
