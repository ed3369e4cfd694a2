// Reading a whole message body with a byte limit, for the few cases the invoke proxies must see a
// body before forwarding it (no content type: is it JSON?) or an answer before passing it on (a
// runtime's error, which becomes a Status). Everything else streams.
import type { Readable } from 'node:stream';

/**
 * Calls back once with the whole body, or with an error whose `code` is `TOO_LARGE` past `limit`
 * bytes (and stops reading) or the stream's own error. A callback, not a promise: the invoke
 * proxies read every small body this way, and the call goes on from here.
 */
export function readLimited(
  stream: Readable,
  limit: number,
  then: (err: NodeJS.ErrnoException | undefined, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (err: NodeJS.ErrnoException | undefined, body: Buffer): void => {
    if (settled) return;
    settled = true;
    then(err, body);
  };
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > limit) {
      stream.off('data', onData);
      stream.resume();
      settle(Object.assign(new Error(`body larger than ${limit} bytes`), { code: 'TOO_LARGE' }), EMPTY);
      return;
    }
    chunks.push(chunk);
  };
  stream.on('data', onData);
  stream.once('end', () => settle(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
  stream.once('error', (err: NodeJS.ErrnoException) => settle(err, EMPTY));
}

const EMPTY = Buffer.alloc(0);
