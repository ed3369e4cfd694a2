// A Function resolved once into the typed, fully defaulted value every component works from: the
// cluster controller renders its objects from it, the local platform runs its process from it,
// the invoke proxies take their deadline from it. No component re-decides a default.
import { resolveRuntime, type RuntimeCatalog, type RuntimeInfo } from '../catalog.js';
import { hashOf } from '../format/canonical-hash.js';
import { ContentTypeError, contentTypeOfSpec, formatContentType, type ContentType } from './content.js';
import { splitHandler, type HandlerParts } from './handler.js';
import { functionPorts, type FunctionPorts } from './ports.js';
import { FAILURE_REASONS, type FailureReason } from './reasons.js';
import { invokeDeadlineMs, timeoutSecondsOf } from './timeout.js';

/** What resolution reads of a Function; both the shared model's and the controller's types fit. */
export interface FunctionLike {
  metadata: { name?: string; namespace?: string };
  spec: {
    handler: string;
    runtime: string;
    function?: string;
    'function-content-type'?: string;
    deps?: string;
    checksum?: string;
    timeout?: string;
    service?: unknown;
    deployment?: unknown;
  };
}

export interface ResolvedFunction<F extends FunctionLike = FunctionLike> {
  /** The object as stored (spec.deployment, labels ... are read from it as they are). */
  readonly fn: F;
  readonly namespace: string;
  readonly name: string;
  /** The catalog runtime that runs it. */
  readonly runtime: RuntimeInfo;
  /** spec.runtime as written when it is an alias of `runtime`. */
  readonly runtimeAlias?: string;
  readonly handler: HandlerParts;
  readonly timeoutSeconds: number;
  /** How long an invoke proxy waits for one call: the timeout plus a margin for the runtime's 408. */
  readonly invokeDeadlineMs: number;
  /** `function-content-type` as declared, or detected from the code as defaulting does. */
  readonly contentType: ContentType;
  /** The same, written out (`base64+zip`). */
  readonly contentTypeText: string;
  readonly ports: FunctionPorts;
  /**
   * Changes exactly when the running function must be replaced (a rolling update on the cluster,
   * a new process locally): code, content type, checksum, deps, handler, runtime, timeout, ports
   * or the user's env.
   */
  readonly rolloutHash: string;
}

export interface ResolveProblem {
  reason: Extract<FailureReason, 'RuntimeNotFound' | 'InvalidSpec'>;
  message: string;
}

export type Resolution<F extends FunctionLike> =
  { ok: true; value: ResolvedFunction<F> } | { ok: false; problem: ResolveProblem };

export interface ResolveOptions {
  /** Where the catalog lives, so a RuntimeNotFound message says where to add a runtime. */
  catalogSource?: string;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/**
 * The env entries the user gives the runtime container in spec.deployment, as written: the
 * container named after the Function, else the first (the controller names a single unnamed one
 * after it, the local platform reads the same one).
 */
export function userEnvEntries(deployment: unknown, fnName: string): unknown[] {
  const containers = record(record(record(record(deployment)?.spec)?.template)?.spec)?.containers;
  if (!Array.isArray(containers)) return [];
  const list = containers.map(record);
  const container = list.find((c) => c?.name === fnName) ?? list[0];
  return Array.isArray(container?.env) ? container.env : [];
}

function rolloutHashOf(
  fn: FunctionLike,
  name: string,
  runtime: RuntimeInfo,
  contentTypeText: string,
  timeoutSeconds: number,
  ports: FunctionPorts,
): string {
  const s = fn.spec;
  return hashOf({
    code: s.function ?? '',
    contentType: contentTypeText,
    checksum: s.checksum ?? '',
    deps: s.deps ?? '',
    handler: s.handler,
    runtime,
    timeoutSeconds,
    runtimePort: ports.runtimePort,
    env: userEnvEntries(s.deployment, name),
  });
}

function runtimeNotFound(id: string, catalog: RuntimeCatalog, source: string | undefined): ResolveProblem {
  const known = catalog.runtimes.map((r) => r.id);
  return {
    reason: FAILURE_REASONS.RuntimeNotFound,
    message:
      `runtime ${JSON.stringify(id)} is not in the runtime catalog${source ? ` (${source})` : ''}; ` +
      `set spec.runtime to one of: ${known.join(', ') || '(none)'}, or add it to the catalog`,
  };
}

/** Pure: the Function's resolved value, or the reason it cannot run and what to do about it. */
export function resolveFunction<F extends FunctionLike>(
  fn: F,
  catalog: RuntimeCatalog,
  opts: ResolveOptions = {},
): Resolution<F> {
  const name = fn.metadata.name ?? '';
  const namespace = fn.metadata.namespace ?? 'default';
  const spec = fn.spec;
  const found = resolveRuntime(catalog, spec.runtime);
  if (!found) return { ok: false, problem: runtimeNotFound(spec.runtime, catalog, opts.catalogSource) };
  let handler: HandlerParts;
  let contentType: ContentType;
  try {
    handler = splitHandler(spec.handler ?? '');
    contentType = contentTypeOfSpec(spec);
  } catch (err) {
    if (err instanceof ContentTypeError) {
      return {
        ok: false,
        problem: {
          reason: FAILURE_REASONS.InvalidSpec,
          message: `spec.function-content-type: ${err.message}`,
        },
      };
    }
    return { ok: false, problem: { reason: FAILURE_REASONS.InvalidSpec, message: (err as Error).message } };
  }
  const timeoutSeconds = timeoutSecondsOf(spec.timeout);
  const ports = functionPorts(spec);
  const contentTypeText = formatContentType(contentType);
  return {
    ok: true,
    value: {
      fn,
      namespace,
      name,
      runtime: found.runtime,
      ...(found.alias === undefined ? {} : { runtimeAlias: found.alias }),
      handler,
      timeoutSeconds,
      invokeDeadlineMs: invokeDeadlineMs(timeoutSeconds),
      contentType,
      contentTypeText,
      ports,
      rolloutHash: rolloutHashOf(fn, name, found.runtime, contentTypeText, timeoutSeconds, ports),
    },
  };
}
