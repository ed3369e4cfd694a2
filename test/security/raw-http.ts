// Raw HTTP over a TCP socket: what a hostile client sends, byte for byte, and what comes back.
import { readFileSync } from 'node:fs';
import net from 'node:net';

export interface Exchange {
  /** Status codes of the responses read, in order. */
  statuses: number[];
  text: string;
  /** The server closed the connection (as opposed to our waiting running out). */
  closedByServer: boolean;
  ms: number;
}

/**
 * Sends `bytes` and reads until the server closes the connection or `waitMs` passes. The write
 * side stays open unless `halfClose`: a server must answer a bad request on a live connection.
 */
export function exchange(
  port: number,
  bytes: Buffer | string,
  opts: { waitMs?: number; halfClose?: boolean } = {},
): Promise<Exchange> {
  const waitMs = opts.waitMs ?? 5000;
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));
      resolve({ statuses, text, closedByServer, ms: Date.now() - started });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('connect', () => (opts.halfClose ? socket.end(bytes) : socket.write(bytes)));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => {
      closedByServer = true;
      finish();
    });
    socket.on('error', () => {
      closedByServer = true;
      finish();
    });
  });
}

/** Opens a connection and sends `bytes` without finishing the request; resolves once connected. */
export function openPartial(port: number, bytes: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** Resolves with the first status line's code the socket receives, and when the server closes it. */
export function awaitAnswer(
  socket: net.Socket,
  waitMs: number,
): Promise<{ status?: number; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    const done = (closed: boolean): void => {
      clearTimeout(timer);
      const match = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
      resolve({ status: match ? Number(match[1]) : undefined, closed });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('end', () => done(true));
    socket.on('close', () => done(true));
  });
}

export function threadsOf(pid: number): number {
  const status = readProc(pid, 'status');
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
}

export function rssMiB(pid: number): number {
  const status = readProc(pid, 'status');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;
}

function readProc(pid: number, file: string): string {
  return readFileSync(`/proc/${pid}/${file}`, 'utf8');
}
