// `spec.function-content-type`: how `spec.function` is encoded, whether it is an archive, and
// whether the archive already carries its installed dependencies. Grammar:
//   <encoding>[+<archive>][+deps]   encoding: text|base64|url   archive: zip|compressedtar
// `+deps` (as in the original Kubeless) says the archive carries its own dependency file
// (package.json, requirements.txt) next to the code, so `spec.deps` must stay empty.

export type ContentEncoding = 'text' | 'base64' | 'url';
export type ContentArchive = 'zip' | 'compressedtar';

export interface ContentType {
  encoding: ContentEncoding;
  archive?: ContentArchive;
  deps: boolean;
}

export const CONTENT_ENCODINGS: readonly ContentEncoding[] = ['text', 'base64', 'url'];
export const CONTENT_ARCHIVES: readonly ContentArchive[] = ['zip', 'compressedtar'];

/** The pattern the schema and the CRD use; semantic checks (e.g. `text+zip`) come on top. */
export const CONTENT_TYPE_PATTERN = '^(text|base64|url)(\\+(zip|compressedtar))?(\\+deps)?$';
const CONTENT_TYPE_RE = new RegExp(CONTENT_TYPE_PATTERN);

export class ContentTypeError extends Error {
  override readonly name = 'ContentTypeError';
}

/** Every accepted spelling, for error messages that list what is valid. */
export function contentTypeExamples(): string[] {
  return [
    'text',
    'base64',
    'url',
    'base64+zip',
    'url+zip',
    'base64+compressedtar',
    'url+compressedtar',
    'url+zip+deps',
  ];
}

/**
 * Parses a content type; throws ContentTypeError naming the valid forms. `text` cannot carry an
 * archive (archives are bytes) and `+deps` needs an archive to hold the dependency file.
 */
export function parseContentType(value: string): ContentType {
  const m = CONTENT_TYPE_RE.exec(value);
  if (!m) {
    throw new ContentTypeError(
      `unknown content type ${JSON.stringify(value)}: use <text|base64|url>[+zip|+compressedtar][+deps], e.g. ${contentTypeExamples().join(', ')}`,
    );
  }
  const encoding = m[1] as ContentEncoding;
  const archive = m[3] as ContentArchive | undefined;
  const deps = m[4] !== undefined;
  if (encoding === 'text' && archive) {
    throw new ContentTypeError(
      `content type ${JSON.stringify(value)}: an archive is binary and cannot be text; use base64+${archive} (or url+${archive})`,
    );
  }
  if (deps && !archive) {
    throw new ContentTypeError(
      `content type ${JSON.stringify(value)}: +deps means an archive carries its dependency file; add +zip or +compressedtar, or drop +deps`,
    );
  }
  return archive ? { encoding, archive, deps } : { encoding, deps };
}

export function formatContentType(ct: ContentType): string {
  return [ct.encoding, ct.archive, ct.deps ? 'deps' : undefined].filter((p) => p !== undefined).join('+');
}

export function isUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value);
}

// Line-wrapped base64 (76 columns, as `base64` prints it) is accepted too.
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isBase64(value: string): boolean {
  const compact = value.replace(/\r?\n/g, '');
  return compact.length > 0 && BASE64_RE.test(compact);
}

export function decodeBase64(value: string): Buffer {
  return Buffer.from(value.replace(/\r?\n/g, ''), 'base64');
}

export type Compression = 'gzip' | 'bzip2' | 'xz';

/** The compression of a `compressedtar`, from its magic bytes (gzip, bzip2 and xz, as `tar xf` reads). */
export function compressionOf(bytes: Uint8Array): Compression | undefined {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68) return 'bzip2'; // "BZh"
  const xz = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
  if (xz.every((b, i) => bytes[i] === b)) return 'xz';
  return undefined;
}

export function isZipBytes(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
}

/** The file names the original CLI took for compressed tars (gzip, bzip2 and xz). */
export const COMPRESSED_TAR_NAME = /\.(tar\.gz|taz|tgz|tar\.bz2|tb2|tbz|tbz2|tz2|tar\.xz|txz)$/i;

function archiveOf(bytes: Uint8Array): ContentArchive | undefined {
  if (isZipBytes(bytes)) return 'zip';
  if (compressionOf(bytes)) return 'compressedtar';
  return undefined;
}

/** The archive kind a file name (or URL path) says, as the original CLI judged it. */
export function archiveOfName(name: string): ContentArchive | undefined {
  if (/\.zip$/i.test(name)) return 'zip';
  if (COMPRESSED_TAR_NAME.test(name)) return 'compressedtar';
  return undefined;
}

function archiveOfUrl(url: string): ContentArchive | undefined {
  try {
    return archiveOfName(new URL(url).pathname);
  } catch {
    return undefined;
  }
}

/**
 * Guesses the content type of a `spec.function` that came without one: an http(s) URL is `url`
 * (archive from the path's extension), strict base64 is `base64` (archive from the decoded magic
 * bytes), anything else is `text`. Source code practically never is strict base64: it has
 * spaces, dots or brackets, none of which base64 uses.
 */
export function detectContentType(content: string): ContentType {
  if (isUrl(content)) {
    const archive = archiveOfUrl(content);
    return archive ? { encoding: 'url', archive, deps: false } : { encoding: 'url', deps: false };
  }
  if (isBase64(content)) {
    const archive = archiveOf(decodeBase64(content));
    return archive ? { encoding: 'base64', archive, deps: false } : { encoding: 'base64', deps: false };
  }
  return { encoding: 'text', deps: false };
}

/** The bytes the function's code is made of, when they are inline (undefined for URLs). */
export function inlineBytes(content: string, ct: ContentType): Buffer | undefined {
  if (ct.encoding === 'url') return undefined;
  return ct.encoding === 'base64' ? decodeBase64(content) : Buffer.from(content, 'utf8');
}

/**
 * A Function's content type: `function-content-type` as declared, or detected from the code when
 * it is empty (what defaulting stores). The one rule for defaulting, validation, policy and
 * resolution; throws ContentTypeError on an unknown declared type.
 */
export function contentTypeOfSpec(spec: {
  function?: string;
  'function-content-type'?: string;
}): ContentType {
  const declared = spec['function-content-type'];
  return declared === undefined || declared === ''
    ? detectContentType(spec.function ?? '')
    : parseContentType(declared);
}
