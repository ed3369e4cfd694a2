// Pure parts of the log subresource: query parsing and line prefixing for merged pod streams.
import { Transform, type TransformCallback } from 'node:stream';
import { badRequestStatus, type Status } from '../lib/k8s/status.js';

export interface LogQuery {
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  container?: string;
}

function bool(v: string | null): boolean {
  return v === 'true' || v === '1' || v === '';
}

function positive(params: URLSearchParams, key: string): number | Status | undefined {
  const v = params.get(key);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    return badRequestStatus(`${key} must be a non-negative integer, got "${v}"`);
  return n;
}

export function parseLogQuery(params: URLSearchParams): LogQuery | Status {
  const q: LogQuery = { follow: bool(params.get('follow')), timestamps: bool(params.get('timestamps')) };
  if (params.get('follow') === null) q.follow = false;
  if (params.get('timestamps') === null) q.timestamps = false;
  for (const key of ['tailLines', 'sinceSeconds', 'limitBytes'] as const) {
    const v = positive(params, key);
    if (typeof v === 'object') return v;
    if (v !== undefined) q[key] = v;
  }
  const c = params.get('container');
  if (c) q.container = c;
  return q;
}

export function logPrefix(pod: string, container: string): string {
  return `[${pod}/${container}] `;
}

/**
 * The prefix of one stream's lines when `streams` are merged: none for a single stream, so a
 * function with one pod logs exactly what it printed, as `kubectl logs` and the local platform show
 * it; `[pod/container] ` when lines of several streams interleave.
 */
export function streamPrefix(streams: number, pod: string, container: string): string {
  return streams > 1 ? logPrefix(pod, container) : '';
}

/** Prefixes every complete line; a trailing partial line waits for its end (or the stream's). */
export class LinePrefixer extends Transform {
  private pending = '';

  constructor(private readonly prefix: string) {
    super();
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    const text = this.pending + chunk.toString();
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    if (lines.length > 0) this.push(lines.map((l) => `${this.prefix}${l}\n`).join(''));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.pending) this.push(`${this.prefix}${this.pending}\n`);
    done();
  }
}

/** Merges finished logs of several pods: each pod's lines stay together and keep their order. */
export function mergeLogs(parts: { pod: string; container: string; text: string }[]): string {
  return parts
    .map(({ pod, container, text }) =>
      text
        .split('\n')
        .filter((l, i, all) => !(l === '' && i === all.length - 1))
        .map((l) => `${logPrefix(pod, container)}${l}\n`)
        .join(''),
    )
    .join('');
}

/** Caps the merged stream at limitBytes (the per-pod limit alone would let N pods send N times as much). */
export class ByteLimit extends Transform {
  private sent = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    const room = this.limit - this.sent;
    if (room <= 0) return done();
    const out = buf.subarray(0, room);
    this.sent += out.length;
    this.push(out);
    done();
  }
}
