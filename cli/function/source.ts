import { sha256Checksum } from '../../lib/function/checksum.js';
import { formatContentType, isUrl, type ContentArchive } from '../../lib/function/content.js';

export { isUrl };

/** What goes into `spec.function`, `spec.function-content-type` and `spec.checksum`. */
export interface FunctionSource {
  content: string;
  contentType: string;
  checksum: string;
}

const ZIP_MAGIC = [0x50, 0x4b]; // "PK": local file header (03 04) or an empty archive (05 06)
const GZIP_MAGIC = [0x1f, 0x8b];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function isZip(bytes: Uint8Array): boolean {
  return (
    startsWith(bytes, ZIP_MAGIC) &&
    ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06))
  );
}

function isCompressedTar(name: string, bytes: Uint8Array): boolean {
  return startsWith(bytes, GZIP_MAGIC) && /\.(tar\.gz|tgz)$/i.test(name);
}

/** Text means valid UTF-8 with no NUL byte; anything else must travel base64-encoded. */
export function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides how a local file is carried in the Function: zip and tar.gz archives as
 * `base64+zip`/`base64+compressedtar` (judged by their magic bytes, not only the name),
 * readable text as `text`, any other bytes as `base64`. The checksum is over the file's bytes.
 */
export function encodeFile(fileName: string, bytes: Uint8Array): FunctionSource {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const checksum = sha256Checksum(bytes);
  const archive: ContentArchive | undefined = isZip(bytes)
    ? 'zip'
    : isCompressedTar(fileName, bytes)
      ? 'compressedtar'
      : undefined;
  if (!archive && isText(bytes)) return { content: buf.toString('utf8'), contentType: 'text', checksum };
  return {
    content: buf.toString('base64'),
    contentType: formatContentType({ encoding: 'base64', archive, deps: false }),
    checksum,
  };
}

/** A URL source is stored as the URL; the archive kind comes from the path's extension. */
export function encodeUrl(url: string, bytes: Uint8Array): FunctionSource {
  const path = new URL(url).pathname;
  const archive: ContentArchive | undefined =
    /\.zip$/i.test(path) || isZip(bytes) ? 'zip' : isCompressedTar(path, bytes) ? 'compressedtar' : undefined;
  return {
    content: url,
    contentType: formatContentType({ encoding: 'url', archive, deps: false }),
    checksum: sha256Checksum(bytes),
  };
}
