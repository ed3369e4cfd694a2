// Materialises a Function's code and dependency file into a directory, the same way for the
// local platform's processes and the cluster's `kubeless prepare` init step.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RuntimeInfo } from '../catalog.js';
import { sha256Checksum } from '../function/checksum.js';
import {
  ContentTypeError,
  decodeBase64,
  detectContentType,
  parseContentType,
  type ContentType,
} from '../function/content.js';
import { missingChecksumWarning } from '../policy/source.js';
import type { FunctionSpec } from '../types.js';
import { PrepareError } from './errors.js';
import { DEFAULT_FETCH_LIMITS, fetchContent, type FetchLimits } from './fetch.js';
import { moduleScopeFile } from './module-scope.js';
import { DEFAULT_UNPACK_LIMITS, unpackZip, type UnpackLimits } from './unpack.js';
import { unpackCompressedTar } from './untar.js';

export { PrepareError, type PrepareFailure } from './errors.js';
export { DEFAULT_FETCH_LIMITS, fetchContent, type FetchLimits } from './fetch.js';
export { moduleScopeFile, SCOPE_PACKAGE_JSON } from './module-scope.js';
export { safeEntryPath, unpackZip, type UnpackLimits } from './unpack.js';
export { unpackCompressedTar } from './untar.js';

export interface MaterializeOptions {
  spec: FunctionSpec;
  runtime: RuntimeInfo;
  dir: string;
  fetchLimits?: FetchLimits;
  unpackLimits?: UnpackLimits;
  /** Told what the user should hear but that does not stop the function (e.g. a URL without a checksum). */
  onWarning?: (message: string) => void;
}

/** `hello.handler` → `hello`: the module part of the handler names the code file. */
export function moduleName(handler: string): string {
  const dot = handler.lastIndexOf('.');
  return dot > 0 ? handler.slice(0, dot) : handler;
}

export function contentTypeOfSpec(spec: FunctionSpec): ContentType {
  const declared = spec['function-content-type'];
  if (declared === undefined || declared === '') return detectContentType(spec.function ?? '');
  try {
    return parseContentType(declared);
  } catch (err) {
    if (err instanceof ContentTypeError) throw new PrepareError('ContentInvalid', err.message);
    throw err;
  }
}

async function contentBytes(spec: FunctionSpec, ct: ContentType, limits: FetchLimits): Promise<Buffer> {
  const content = spec.function ?? '';
  if (ct.encoding === 'url') return fetchContent(content.trim(), limits);
  if (ct.encoding === 'base64') return decodeBase64(content);
  return Buffer.from(content, 'utf8');
}

export interface Materialized {
  /** The dependency file the Function brought (spec.deps, or its `+deps` archive's), if any. */
  deps: string | undefined;
}

export async function materializeFunction(opts: MaterializeOptions): Promise<Materialized> {
  const { spec, runtime, dir } = opts;
  const ct = contentTypeOfSpec(spec);
  if (ct.encoding === 'url' && !spec.checksum)
    opts.onWarning?.(missingChecksumWarning((spec.function ?? '').trim()));
  const bytes = await contentBytes(spec, ct, opts.fetchLimits ?? DEFAULT_FETCH_LIMITS);
  if (spec.checksum) {
    const actual = sha256Checksum(bytes);
    if (actual !== spec.checksum) {
      throw new PrepareError(
        'ChecksumMismatch',
        `the code's checksum is ${actual} but spec.checksum says ${spec.checksum}; update spec.checksum (or remove it to have it computed) if the code changed on purpose`,
      );
    }
  }
  await mkdir(dir, { recursive: true });
  const unpack = opts.unpackLimits ?? DEFAULT_UNPACK_LIMITS;
  if (ct.archive === 'zip') await unpackZip(bytes, dir, unpack);
  else if (ct.archive === 'compressedtar') await unpackCompressedTar(bytes, dir, unpack);
  else await writeFile(path.join(dir, `${moduleName(spec.handler)}${runtime.suffix}`), bytes);
  // An archive with `+deps` brings its own dependency file; spec.deps would overwrite it.
  if (spec.deps && !ct.deps) await writeFile(path.join(dir, runtime.depsFile), spec.deps);
  const depsPath = path.join(dir, runtime.depsFile);
  const deps = spec.deps || (ct.deps && existsSync(depsPath) ? await readFile(depsPath, 'utf8') : undefined);
  const scope = moduleScopeFile(runtime, existsSync(path.join(dir, 'package.json')));
  if (scope) await writeFile(path.join(dir, scope.name), scope.content);
  return { deps };
}
