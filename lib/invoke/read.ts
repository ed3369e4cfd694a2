// Reading a whole message body with a byte limit, for the few cases the invoke proxies must see a
// body before forwarding it (no content type: is it JSON?) or an answer before passing it on (a
// runtime's error, which becomes a Status). Everything else streams.
import type { Readable } from 'node:stream';

/** Rejects with an error whose `code` is `TOO_LARGE` past `limit` bytes (and stops reading). */
export function readLimited(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        stream.off('data', onData);
        stream.resume();
        reject(Object.assign(new Error(`body larger than ${limit} bytes`), { code: 'TOO_LARGE' }));
        return;
      }
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}
