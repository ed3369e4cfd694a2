import {
  detectContentType,
  formatContentType,
  parseContentType,
  type ContentArchive,
  type ContentType,
} from '../../lib/function/content.js';
import { splitHandler } from '../../lib/function/handler.js';
import type { FunctionSpec, RuntimeInfo } from '../model.js';

export { splitHandler, type HandlerParts } from '../../lib/function/handler.js';

/**
 * `function-content-type` as declared, or detected from the code as the webhook's defaulting
 * does (so a Function stored without defaulting still works); throws on an unknown type.
 */
export function contentTypeOf(spec: FunctionSpec): ContentType {
  const declared = spec['function-content-type'];
  return declared ? parseContentType(declared) : detectContentType(spec.function ?? '');
}

export function contentTypeText(spec: FunctionSpec): string {
  return formatContentType(contentTypeOf(spec));
}

/** The archive named by the content type (`base64+zip`, `url+compressedtar` ...), if any. */
export function archiveOf(spec: FunctionSpec): ContentArchive | undefined {
  return contentTypeOf(spec).archive;
}

/**
 * The ConfigMap key that holds the code, named like the original Kubeless did: the module with
 * the runtime's suffix, or the archive's extension when the code is an archive to unpack.
 */
export function codeFileName(spec: FunctionSpec, runtime: RuntimeInfo): string {
  const { module } = splitHandler(spec.handler);
  const archive = archiveOf(spec);
  if (archive === 'zip') return `${module}.zip`;
  if (archive === 'compressedtar') return `${module}.tar.gz`;
  return `${module}${runtime.suffix}`;
}

/** Seconds as a decimal string; the original's default was 180. */
export function timeoutOf(spec: FunctionSpec): string {
  const raw = spec.timeout?.trim();
  return raw ? raw : '180';
}
