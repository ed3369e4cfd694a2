// Unpacks compressed tar archives (gzip, bzip2 or xz, told apart by their magic bytes as `tar xf`
// does) into the function directory without a shell, refusing entries that would escape it
// (absolute paths, `..`, links) and archives that inflate past a cap. The decompressed stream
// itself is capped too, so a small archive cannot make us inflate gigabytes of padding.
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar';
import unbzip2 from 'unbzip2-stream';
import xz from 'xz-decompress';
import { compressionOf } from '../function/content.js';
import { ByteCap } from '../stream/byte-cap.js';
import { PrepareError } from './errors.js';
import { DEFAULT_UNPACK_LIMITS, safeEntryPath, type UnpackLimits } from './unpack.js';

/** Tar headers and padding on top of the file bytes: at most a block and a header per entry. */
const TAR_OVERHEAD_PER_ENTRY = 1024;

function decompressed(bytes: Buffer): NodeJS.ReadableStream {
  const source = Readable.from([bytes]);
  switch (compressionOf(bytes)) {
    case 'gzip':
      return source.pipe(createGunzip());
    case 'bzip2':
      // Pure JavaScript (Node has no bzip2); pipeline() below listens to its errors.
      return source.pipe(unbzip2());
    case 'xz':
      // WebAssembly build of xz's decoder (no native code), behind a web ReadableStream.
      return Readable.fromWeb(new xz.XzReadableStream(Readable.toWeb(source)));
    default:
      throw new PrepareError(
        'ArchiveInvalid',
        'the archive is not gzip, bzip2 or xz compressed; build it with `tar czf`, `tar cjf` or `tar cJf` (or use a zip)',
      );
  }
}

export async function unpackCompressedTar(
  bytes: Buffer,
  dir: string,
  limits: UnpackLimits = DEFAULT_UNPACK_LIMITS,
): Promise<void> {
  const root = path.resolve(dir);
  let entries = 0;
  let total = 0;
  let refused: PrepareError | undefined;
  const extractor = tar.x({
    cwd: root,
    strict: true,
    // Files belong to whoever runs prepare, even as root: an archive's owners mean nothing here,
    // and an entry owned by another uid could be one the function cannot read or one it should not own.
    preserveOwner: false,
    // Links could point anywhere on the host; a function's code never needs them.
    filter: (entryPath, entry) => {
      if (refused) return false;
      const type = 'type' in entry ? entry.type : undefined;
      try {
        safeEntryPath(root, entryPath);
        if (type === 'SymbolicLink' || type === 'Link') {
          throw new PrepareError(
            'ArchiveInvalid',
            `archive entry ${JSON.stringify(entryPath)} is a link; replace links with the files themselves`,
          );
        }
        entries += 1;
        total += entry.size ?? 0;
        if (entries > limits.maxEntries || total > limits.maxBytes) {
          throw new PrepareError(
            'TooLarge',
            `tar archive holds more than ${limits.maxEntries} entries or ${limits.maxBytes} bytes; make it smaller`,
          );
        }
      } catch (err) {
        refused = err as PrepareError;
        return false;
      }
      // No setuid, setgid or sticky bit survives: code must never run with its file owner's rights.
      if (typeof entry.mode === 'number') entry.mode &= 0o777;
      return true;
    },
  });
  const stream = decompressed(bytes);
  const cap = new ByteCap(
    limits.maxBytes + limits.maxEntries * TAR_OVERHEAD_PER_ENTRY,
    (max) => new PrepareError('TooLarge', `the tar archive inflates past ${max} bytes; make it smaller`),
  );
  try {
    await pipeline(stream, cap, extractor);
  } catch (err) {
    if (err instanceof PrepareError) throw err;
    throw new PrepareError(
      'ArchiveInvalid',
      `not a readable ${compressionOf(bytes) ?? 'compressed'} tar archive: ${(err as Error).message}`,
    );
  }
  if (refused) throw refused;
}
