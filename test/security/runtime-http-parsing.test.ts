// Issue 18, item 4: the runtimes' HTTP parsing. The same hostile requests go to both runtimes'
// real servers; each must be refused exactly as the Node.js runtime (llhttp) refuses it.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ensureNodeRuntimeBuilt,
  type Language,
  type Runtime,
  startRuntime,
} from '../integration/runtimes/harness.js';
import { exchange, rssMiB } from './raw-http.js';

jest.setTimeout(60_000);

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/runtime');
const LIMIT = 1024 * 1024;

const POST = 'POST / HTTP/1.1\r\nHost: x\r\n';
const CHUNKED = POST + 'Transfer-Encoding: chunked\r\n';
const CLOSE = 'Connection: close\r\n';

/** [what, request bytes, status]; every refusal must also close the connection. */
const CASES: [string, string, number][] = [
  ['Content-Length: -1', POST + 'Content-Length: -1\r\n\r\n' + 'a'.repeat(100), 400],
  ['Content-Length: 1_0 (Python int() syntax)', POST + 'Content-Length: 1_0\r\n\r\n' + 'a'.repeat(10), 400],
  ['Content-Length: +5', POST + 'Content-Length: +5\r\n\r\naaaaa', 400],
  ['Content-Length: 0x5', POST + 'Content-Length: 0x5\r\n\r\naaaaa', 400],
  ['Content-Length: 5.0', POST + 'Content-Length: 5.0\r\n\r\naaaaa', 400],
  ['Content-Length: 1 0', POST + 'Content-Length: 1 0\r\n\r\n' + 'a'.repeat(10), 400],
  ['Content-Length: 5, 5', POST + 'Content-Length: 5, 5\r\n\r\naaaaa', 400],
  ['two Content-Length headers', POST + 'Content-Length: 5\r\nContent-Length: 5\r\n\r\naaaaa', 400],
  ['Content-Length beyond 64 bits', POST + 'Content-Length: 99999999999999999999999\r\n\r\n', 400],
  ['chunk size -1', CHUNKED + '\r\n-1\r\naaaa\r\n0\r\n\r\n', 400],
  ['chunk size 1_0', CHUNKED + '\r\n1_0\r\n' + 'a'.repeat(16) + '\r\n0\r\n\r\n', 400],
  ['chunk size 0x5', CHUNKED + '\r\n0x5\r\naaaaa\r\n0\r\n\r\n', 400],
  ['chunk size +5', CHUNKED + '\r\n+5\r\naaaaa\r\n0\r\n\r\n', 400],
  ['chunk size with a leading space', CHUNKED + '\r\n 5\r\naaaaa\r\n0\r\n\r\n', 400],
  ['chunk size with a trailing space', CHUNKED + '\r\n5 \r\naaaaa\r\n0\r\n\r\n', 400],
  ['empty chunk size', CHUNKED + '\r\n\r\naaaaa\r\n0\r\n\r\n', 400],
  ['chunk size beyond 64 bits', CHUNKED + '\r\n' + 'f'.repeat(24) + '\r\naaaaa\r\n0\r\n\r\n', 400],
  ['chunk data without its CRLF', CHUNKED + '\r\n5\r\naaaaaXX0\r\n\r\n', 400],
  ['chunk lines ending in a bare LF', CHUNKED + '\r\n5\naaaaa\n0\n\n', 400],
  ['an empty chunk extension', CHUNKED + '\r\n5;\r\naaaaa\r\n0\r\n\r\n', 400],
  ['a space before a chunk extension', CHUNKED + '\r\n5 ;a=b\r\naaaaa\r\n0\r\n\r\n', 400],
  ['a control character in a chunk extension', CHUNKED + '\r\n5;a=b\x01\r\naaaaa\r\n0\r\n\r\n', 400],
  ['chunk extensions over 16 KiB', CHUNKED + '\r\n5;a=' + 'b'.repeat(20_000) + '\r\naaaaa\r\n0\r\n\r\n', 413],
  ['a malformed trailer', CHUNKED + '\r\n5\r\naaaaa\r\n0\r\nbad trailer\r\n\r\n', 400],
  ['Transfer-Encoding: chunked, gzip', POST + 'Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n', 400],
  ['Transfer-Encoding: identity', POST + 'Transfer-Encoding: identity\r\n\r\n', 400],
  ['Transfer-Encoding: xchunked', POST + 'Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n', 400],
  ['Transfer-Encoding: chunked, chunked', POST + 'Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n', 400],
  ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\n\r\n', 400],
  ['a space before the colon', POST + 'Content-Length : 5\r\n\r\naaaaa', 400],
  ['a folded header line', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n', 400],
  ['NUL in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n', 400],
  ['a bare CR in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n', 400],
  ['header lines ending in a bare LF', 'GET / HTTP/1.1\nHost: x\n\n', 400],
  ['a space in a header name', 'GET / HTTP/1.1\r\nHost: x\r\nX A: 1\r\n\r\n', 400],
  ['a space in the request target', 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['a request target without a slash', 'GET a HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['an unknown method', 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['HTTP/1.2', 'GET / HTTP/1.2\r\nHost: x\r\n\r\n', 400],
  ['headers over 16 KiB', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: ' + 'a'.repeat(20_000) + '\r\n\r\n', 431],
];

/** What must still work; each answers 200 with the body length the function saw. */
const ACCEPTED: [string, string, string][] = [
  ['Content-Length', POST + CLOSE + 'Content-Length: 5\r\n\r\naaaaa', 'len=5'],
  ['leading zeros in Content-Length', POST + CLOSE + 'Content-Length: 005\r\n\r\naaaaa', 'len=5'],
  [
    'a chunked body',
    CHUNKED + CLOSE + '\r\n5\r\naaaaa\r\nA\r\n' + 'b'.repeat(10) + '\r\n0\r\n\r\n',
    'len=15',
  ],
  ['chunk extensions', CHUNKED + CLOSE + '\r\n5;a=b;c;d="e f"\r\naaaaa\r\n0;x=y\r\n\r\n', 'len=5'],
  ['a trailer', CHUNKED + CLOSE + '\r\n5\r\naaaaa\r\n0\r\nX-T: 1\r\n\r\n', 'len=5'],
  [
    'Transfer-Encoding: gzip, chunked',
    POST + CLOSE + 'Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
    'len=0',
  ],
  ['HTTP/1.0 without Host', 'GET / HTTP/1.0\r\n\r\n', 'len=0'],
  ['an empty line before the request', '\r\nGET / HTTP/1.1\r\nHost: x\r\n' + CLOSE + '\r\n', 'len=0'],
  ['obs-text in a header value', 'GET / HTTP/1.1\r\nHost: x\r\n' + CLOSE + 'X-A: \xe9\r\n\r\n', 'len=0'],
  ['Expect: 100-continue', POST + CLOSE + 'Expect: 100-continue\r\nContent-Length: 5\r\n\r\naaaaa', 'len=5'],
];

describe.each<Language>(['nodejs', 'python'])('%s runtime HTTP parsing', (language) => {
  let rt: Runtime;
  beforeAll(async () => {
    if (language === 'nodejs') ensureNodeRuntimeBuilt();
    rt = await startRuntime(language, {
      volume: FIXTURE,
      mod: 'length',
      handler: 'handler',
      env: { KUBELESS_BODY_LIMIT: String(LIMIT) },
    });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it.each(CASES)('refuses %s', async (_what, request, status) => {
    const res = await exchange(rt.port, Buffer.from(request, 'latin1'));
    expect(res.statuses).toEqual([status]);
    expect(res.closedByServer).toBe(true);
  });

  it.each(ACCEPTED)('accepts %s', async (_what, request, body) => {
    const res = await exchange(rt.port, Buffer.from(request, 'latin1'));
    expect(res.statuses.at(-1)).toBe(200);
    expect(res.text.endsWith(body)).toBe(true);
  });

  it('refuses a chunked body that ends before its final CRLF', async () => {
    const res = await exchange(rt.port, CHUNKED + '\r\n5\r\naaaaa\r\n0\r\n', { halfClose: true });
    expect(res.statuses).toEqual([400]);
  });

  it('refuses an Expect other than 100-continue', async () => {
    const res = await exchange(rt.port, POST + 'Expect: foo\r\nContent-Length: 5\r\n\r\naaaaa', {
      waitMs: 1000,
    });
    expect(res.statuses[0]).toBe(417);
    expect(res.text).not.toContain('len=');
  });

  it('refuses Content-Length with Transfer-Encoding and never answers the request smuggled behind it', async () => {
    const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
    const res = await exchange(
      rt.port,
      POST + 'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' + smuggled,
    );
    expect(res.statuses).toEqual([400]);
    expect(res.closedByServer).toBe(true);
  });

  it('refuses Content-Length: -1 followed by 200 MB without the body reaching the function', async () => {
    const rssBefore = rssMiB(rt.proc.pid!);
    const logsBefore = rt.logs().length;
    await new Promise<void>((resolve) => {
      const socket = net.connect(rt.port, '127.0.0.1');
      const block = Buffer.alloc(1024 * 1024, 97);
      let sent = 0;
      const pump = (): void => {
        while (sent < 200 && !socket.destroyed) {
          sent++;
          if (!socket.write(block)) {
            socket.once('drain', pump);
            return;
          }
        }
        if (!socket.destroyed) socket.end();
      };
      socket.on('connect', () => {
        socket.write(POST + 'Content-Length: -1\r\n\r\n');
        pump();
      });
      // The answer (400, see the table above) is usually lost: the server closes a connection
      // that is still sending, so the kernel resets it, as the Node.js runtime's does too.
      socket.on('close', () => resolve());
      socket.on('error', () => socket.destroy());
    });
    // The old Python runtime read to the end of the connection and called the function with
    // all of it (len=209715200); its memory grew by about 200 MB.
    await new Promise((r) => setTimeout(r, 200));
    expect(rt.logs().slice(logsBefore)).not.toContain('function saw len=');
    expect(rssMiB(rt.proc.pid!) - rssBefore).toBeLessThan(32);
    const after = await exchange(rt.port, POST + CLOSE + 'Content-Length: 2\r\n\r\nok');
    expect(after.text.endsWith('len=2')).toBe(true);
  });

  it('answers 413 for a chunked body past the limit', async () => {
    const size = 2 * LIMIT;
    const request = Buffer.concat([
      Buffer.from(CHUNKED + '\r\n' + size.toString(16) + '\r\n'),
      Buffer.alloc(size, 97),
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    const res = await exchange(rt.port, request);
    expect(res.statuses).toEqual([413]);
  });
});
