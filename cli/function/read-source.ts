import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CliError } from '../errors.js';
import { encodeFile, encodeUrl, isUrl, type FunctionSource } from './source.js';

/** Function code bigger than this does not fit in an object (etcd's limit is ~1.5 MiB anyway). */
export const MAX_SOURCE_BYTES = 50 * 1024 * 1024;
const URL_TIMEOUT_MS = 30_000;

async function readLocal(file: string, flag: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory (zip it first)'
          : String(err);
    throw new CliError(`cannot read ${flag} "${file}": ${why}`);
  }
}

/** Downloads a URL once (to checksum code, or to read a dependency file); bounded in size and time. */
async function download(url: string, flag: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(URL_TIMEOUT_MS), redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new CliError(
      `cannot download ${flag} ${url}: ${cause ?? (err instanceof Error ? err.message : String(err))}`,
    );
  }
  if (!res.ok || !res.body) {
    throw new CliError(`cannot download ${flag} ${url}: HTTP ${res.status}; check the URL`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > MAX_SOURCE_BYTES) {
      throw new CliError(`${flag} ${url} is larger than ${MAX_SOURCE_BYTES} bytes; host a smaller file`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readSource(fromFile: string): Promise<FunctionSource> {
  if (isUrl(fromFile)) return encodeUrl(fromFile, await download(fromFile, '--from-file'));
  const bytes = await readLocal(fromFile, '--from-file');
  if (bytes.length > MAX_SOURCE_BYTES) {
    throw new CliError(
      `--from-file "${fromFile}" is larger than ${MAX_SOURCE_BYTES} bytes; host it and pass a URL instead`,
    );
  }
  return encodeFile(basename(fromFile), bytes);
}

/**
 * The dependency file's text, from a local file or (as the original CLI allowed) an http(s) URL,
 * which is read now and stored as text: the function must not change when the URL does.
 */
export async function readDependencies(file: string): Promise<string> {
  const bytes = isUrl(file)
    ? await download(file, '--dependencies')
    : await readLocal(file, '--dependencies');
  return Buffer.from(bytes).toString('utf8');
}
