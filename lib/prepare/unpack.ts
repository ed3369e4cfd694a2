// Unpacks zip archives into the function directory without a shell, refusing entries that would
// escape it (absolute paths, `..`) and archives that inflate past a cap. Compressed tars: untar.ts.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { PrepareError } from './errors.js';

export interface UnpackLimits {
  maxBytes: number;
  maxEntries: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = { maxBytes: 500 * 1024 * 1024, maxEntries: 20_000 };

/** The path an entry lands on, or an error when it would leave `dir`. Pure. */
export function safeEntryPath(dir: string, entry: string): string {
  const normalized = entry.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized)) {
    throw new PrepareError(
      'ArchiveInvalid',
      `archive entry ${JSON.stringify(entry)} is an absolute path; rebuild the archive with relative paths`,
    );
  }
  const target = path.resolve(dir, normalized);
  if (target !== dir && !target.startsWith(dir + path.sep)) {
    throw new PrepareError(
      'ArchiveInvalid',
      `archive entry ${JSON.stringify(entry)} points outside the function directory; remove ".." from its path`,
    );
  }
  return target;
}

function openZip(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err) reject(new PrepareError('ArchiveInvalid', `not a readable zip archive: ${err.message}`));
      else resolve(zip);
    });
  });
}

export async function unpackZip(
  bytes: Buffer,
  dir: string,
  limits: UnpackLimits = DEFAULT_UNPACK_LIMITS,
): Promise<void> {
  const zip = await openZip(bytes);
  const root = path.resolve(dir);
  let entries = 0;
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    const fail = (err: unknown): void => {
      zip.close();
      reject(
        err instanceof PrepareError
          ? err
          : new PrepareError('ArchiveInvalid', `zip archive is damaged: ${(err as Error).message}`),
      );
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        entries += 1;
        total += entry.uncompressedSize;
        if (entries > limits.maxEntries || total > limits.maxBytes) {
          throw new PrepareError(
            'TooLarge',
            `zip archive holds more than ${limits.maxEntries} entries or ${limits.maxBytes} bytes; make it smaller`,
          );
        }
        const target = safeEntryPath(root, entry.fileName);
        if (entry.fileName.endsWith('/')) {
          await mkdir(target, { recursive: true });
        } else {
          await mkdir(path.dirname(target), { recursive: true });
          const stream = await new Promise<Readable>((res, rej) =>
            zip.openReadStream(entry, (err, s) => (err ? rej(err) : res(s))),
          );
          await pipeline(stream, createWriteStream(target, { mode: 0o644 }));
        }
        zip.readEntry();
      })().catch(fail);
    });
    zip.readEntry();
  });
}
