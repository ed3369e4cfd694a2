// Small pieces of the hot path that need none of a server's state: writing a reply, reading a
// connection's fd for the watchdog, telling a promise from a value.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorReply, type Reply } from './respond.js';

/** Writes a complete reply; `close` ends the connection after it (the server is draining). */
export function writeReply(res: ServerResponse, reply: Reply, close: boolean): void {
  const headers = reply.headers;
  headers['content-length'] = String(
    typeof reply.body === 'string' ? Buffer.byteLength(reply.body) : reply.body.length,
  );
  if (close) headers.connection = 'close';
  try {
    res.writeHead(reply.status, headers);
  } catch (err) {
    // A header value the handler set that HTTP cannot carry: say so instead of hanging.
    const fallback = errorReply(
      500,
      `the function set an invalid response header: ${(err as Error).message}`,
    );
    fallback.headers['content-length'] = String(Buffer.byteLength(fallback.body));
    res.writeHead(500, fallback.headers);
    res.end(fallback.body);
    return;
  }
  res.end(reply.body);
}

const FD = Symbol('kubeless.fd');
interface FdSocket {
  _handle?: { fd?: number } | null;
  [FD]?: number;
}

/**
 * The fd is a native getter (tens of ns) and a keep-alive socket serves many calls, so it is
 * read once per connection; the watchdog needs it only for its last-resort 408.
 */
export function socketFd(req: IncomingMessage): number {
  const socket = req.socket as unknown as FdSocket;
  return (socket[FD] ??= socket._handle?.fd ?? -1);
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
