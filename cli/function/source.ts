import { sha256Checksum } from '../../lib/function/checksum.js';
import {
  COMPRESSED_TAR_NAME,
  compressionOf,
  formatContentType,
  isUrl,
  isZipBytes as isZip,
  type ContentArchive,
} from '../../lib/function/content.js';

export { isUrl };

/** What goes into `spec.function`, `spec.function-content-type` and `spec.checksum`. */
export interface FunctionSource {
  content: string;
  contentType: string;
  checksum: string;
}

/**
 * A compressed tar is judged by both: bytes of a compression the unpacker reads (gzip, bzip2, xz)
 * and a tar name (.tar.gz, .tgz, .tar.bz2, .tar.xz ... as the original CLI listed them), since a
 * lone compressed file is not an archive.
 */
function isCompressedTar(name: string, bytes: Uint8Array): boolean {
  return compressionOf(bytes) !== undefined && COMPRESSED_TAR_NAME.test(name);
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
 * Decides how a local file is carried in the Function: zip and compressed tar archives as
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
