// Semantic rules for a Function, beyond what the schema can say. Pure: the spec in, problems out.
// The schema has already checked types, so fields here are the types the schema promises.
import { resolveRuntime, runtimeIds, type RuntimeCatalog, type RuntimeInfo } from '../catalog.js';
import type { FunctionSpec, ObjectMeta } from '../types.js';
import { isChecksum, sha256Checksum } from './checksum.js';
import {
  compressionOf,
  ContentTypeError,
  contentTypeOfSpec,
  decodeBase64,
  formatContentType,
  inlineBytes,
  isBase64,
  isUrl,
  type ContentType,
} from './content.js';
import { validateDeps } from './deps.js';
import { checkReservedEnv } from './env.js';
import { validatePodTemplate } from './labels.js';
import { validateName } from './meta.js';
import { type FieldError, forbidden, invalid, notSupported, quote, required, tooLong } from './errors.js';
import { pubsubRules } from './pubsub.js';

export { RESERVED_ENV } from './env.js';
export { validateName } from './meta.js';

/** What a ConfigMap can hold; the code and the deps both go into one. */
export const MAX_INLINE_BYTES = 1024 * 1024;

export const HANDLER_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_-]*\\.[A-Za-z_$][A-Za-z0-9_$]*$';
const HANDLER_RE = new RegExp(HANDLER_PATTERN);

export const TIMEOUT_PATTERN = '^[1-9][0-9]*$';
const TIMEOUT_RE = new RegExp(TIMEOUT_PATTERN);

function checkRuntime(
  spec: FunctionSpec,
  catalog: RuntimeCatalog,
): { errors: FieldError[]; runtime?: RuntimeInfo } {
  if (!spec.runtime) {
    return { errors: [required('spec.runtime', `set one of: ${runtimeIds(catalog).join(', ')}`)] };
  }
  const runtime = resolveRuntime(catalog, spec.runtime)?.runtime;
  if (!runtime) {
    return {
      errors: [
        notSupported(
          'spec.runtime',
          `${quote(spec.runtime)} is not in the runtime catalog`,
          `use one of: ${runtimeIds(catalog).join(', ')}`,
        ),
      ],
    };
  }
  return { errors: [], runtime };
}

function checkHandler(handler: string | undefined): FieldError[] {
  if (!handler) return [required('spec.handler', 'write it as <module>.<function>, e.g. handler.hello')];
  if (!HANDLER_RE.test(handler)) {
    return [
      invalid(
        'spec.handler',
        `${quote(handler)} is not <module>.<function>`,
        'write the file name without its suffix, a dot, and the exported function, e.g. "handler.hello" for hello in handler.js',
      ),
    ];
  }
  return [];
}

function checkContentType(spec: FunctionSpec): { errors: FieldError[]; ct?: ContentType } {
  try {
    return { errors: [], ct: contentTypeOfSpec(spec) };
  } catch (err) {
    if (!(err instanceof ContentTypeError)) throw err;
    return {
      errors: [
        notSupported(
          'spec.function-content-type',
          err.message,
          'use text, base64 or url, optionally with +zip or +compressedtar, and +deps for archives that carry their dependency file',
        ),
      ],
    };
  }
}

function archiveMismatch(bytes: Buffer, ct: ContentType): boolean {
  if (ct.archive === 'zip') return !(bytes[0] === 0x50 && bytes[1] === 0x4b);
  if (ct.archive === 'compressedtar') return compressionOf(bytes) === undefined;
  return false;
}

function checkContent(spec: FunctionSpec, ct: ContentType): FieldError[] {
  const content = spec.function ?? '';
  const type = formatContentType(ct);
  if (content === '') {
    return [
      required(
        'spec.function',
        'put the code inline (function-content-type text or base64), or an https URL with function-content-type url',
      ),
    ];
  }
  if (ct.encoding === 'url') {
    if (!isUrl(content)) {
      return [
        invalid(
          'spec.function',
          `function-content-type is ${type}, but spec.function is not an http(s) URL: ${quote(content)}`,
          'put the https:// URL of the code in spec.function, or change function-content-type to text or base64',
        ),
      ];
    }
    return [];
  }
  const size = Buffer.byteLength(content, 'utf8') + Buffer.byteLength(spec.deps ?? '', 'utf8');
  if (size > MAX_INLINE_BYTES) {
    return [
      tooLong(
        'spec.function',
        `inline code and deps take ${size} bytes, more than the ${MAX_INLINE_BYTES} bytes (1 MiB) a ConfigMap holds`,
        'host the code (or a zip/tar.gz of it) at an https URL, set spec.function to that URL and function-content-type to url (or url+zip, url+compressedtar), and set spec.checksum',
      ),
    ];
  }
  if (ct.encoding === 'base64') {
    if (!isBase64(content)) {
      return [
        invalid(
          'spec.function',
          `function-content-type is ${type}, but spec.function is not valid base64`,
          'encode the file with `base64 -w0 <file>`, or use function-content-type text for plain source code',
        ),
      ];
    }
    if (archiveMismatch(decodeBase64(content), ct)) {
      return [
        invalid(
          'spec.function',
          `function-content-type says ${type}, but the decoded bytes are not a ${ct.archive} archive`,
          `encode a ${ct.archive === 'zip' ? '.zip' : '.tar.gz, .tar.bz2 or .tar.xz'} file, or correct function-content-type`,
        ),
      ];
    }
  }
  return [];
}

function checkChecksum(spec: FunctionSpec, ct: ContentType | undefined): FieldError[] {
  const checksum = spec.checksum;
  if (checksum === undefined || checksum === '') return [];
  if (!isChecksum(checksum)) {
    return [
      invalid(
        'spec.checksum',
        `${quote(checksum)} is not sha256:<64 lower-case hex digits>`,
        'write "sha256:" followed by the output of `sha256sum <file>`, or leave spec.checksum out to have it computed for inline code',
      ),
    ];
  }
  const bytes = ct && spec.function ? inlineBytes(spec.function, ct) : undefined;
  if (bytes === undefined) return [];
  const actual = sha256Checksum(bytes);
  if (actual !== checksum) {
    return [
      invalid(
        'spec.checksum',
        `${checksum} does not match the code in spec.function (${actual})`,
        `set spec.checksum to ${actual} if this code is what you meant, or leave it out to have it computed`,
      ),
    ];
  }
  return [];
}

function checkTimeout(timeout: string | undefined): FieldError[] {
  // Empty means the default, as in the original Kubeless.
  if (timeout === undefined || timeout === '') return [];
  if (!TIMEOUT_RE.test(timeout)) {
    return [
      invalid(
        'spec.timeout',
        `${quote(timeout)} is not a whole number of seconds`,
        'write the timeout as a quoted number of seconds, e.g. timeout: "180"',
      ),
    ];
  }
  return [];
}

function checkDeps(
  spec: FunctionSpec,
  runtime: RuntimeInfo | undefined,
  ct: ContentType | undefined,
): FieldError[] {
  const deps = spec.deps ?? '';
  if (deps.trim() === '') return [];
  if (ct?.deps) {
    return [
      forbidden(
        'spec.deps',
        'function-content-type ends in +deps, so the dependency file comes from the archive',
        'put the dependencies into the archive and leave spec.deps empty, or drop +deps from function-content-type',
      ),
    ];
  }
  return runtime ? validateDeps(deps, runtime) : [];
}

/** Every semantic problem of a Function whose shape already passed the schema. */
export function functionRules(
  meta: ObjectMeta | undefined,
  spec: FunctionSpec,
  catalog: RuntimeCatalog,
): FieldError[] {
  const { errors: runtimeErrors, runtime } = checkRuntime(spec, catalog);
  const { errors: ctErrors, ct } = checkContentType(spec);
  return [
    ...validateName(meta, 'Function', 'it names the Service and the Deployment the controller creates'),
    ...runtimeErrors,
    ...checkHandler(spec.handler),
    ...ctErrors,
    ...(ct ? checkContent(spec, ct) : []),
    ...checkChecksum(spec, ct),
    ...checkTimeout(spec.timeout),
    ...checkDeps(spec, runtime, ct),
    ...checkReservedEnv(spec.deployment),
    ...pubsubRules(spec),
    ...validatePodTemplate(spec.deployment),
  ];
}
