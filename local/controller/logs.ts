// A function's log: every line its runtime printed, kept in a ring buffer for the log
// subresource and appended to a file under the data dir for anything older.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

export interface LogLine {
  time: Date;
  stream: 'stdout' | 'stderr' | 'platform';
  text: string;
}

export interface LogQuery {
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  timestamps?: boolean;
}

const RING = 5000;

/** Picks and formats the lines a query asks for. Pure. */
export function selectLines(lines: LogLine[], q: LogQuery, now: Date): string {
  let picked = lines;
  if (q.sinceSeconds !== undefined) {
    const from = now.getTime() - q.sinceSeconds * 1000;
    picked = picked.filter((l) => l.time.getTime() >= from);
  }
  if (q.tailLines !== undefined) picked = q.tailLines === 0 ? [] : picked.slice(-q.tailLines);
  const text = picked.map((l) => formatLine(l, q.timestamps === true)).join('');
  return q.limitBytes !== undefined ? Buffer.from(text).subarray(0, q.limitBytes).toString() : text;
}

export function formatLine(l: LogLine, timestamps: boolean): string {
  return `${timestamps ? `${l.time.toISOString()} ` : ''}${l.text}\n`;
}

export class FunctionLog {
  private lines: LogLine[] = [];
  private partial: Record<string, string> = {};
  private readonly followers = new Set<(l: LogLine) => void>();
  private file: WriteStream | undefined;

  constructor(private readonly filePath: string) {}

  /** Feeds raw output; complete lines are stored, a trailing fragment waits for its newline. */
  write(stream: LogLine['stream'], chunk: Buffer | string): void {
    const text = (this.partial[stream] ?? '') + chunk.toString();
    const parts = text.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const p of parts) this.push({ time: new Date(), stream, text: p });
  }

  line(text: string): void {
    this.push({ time: new Date(), stream: 'platform', text });
  }

  private push(l: LogLine): void {
    this.lines.push(l);
    if (this.lines.length > RING * 1.2) this.lines = this.lines.slice(-RING);
    if (!this.file) {
      mkdirSync(path.dirname(this.filePath), { recursive: true });
      this.file = createWriteStream(this.filePath, { flags: 'a' });
      this.file.on('error', () => undefined);
    }
    this.file.write(formatLine(l, true));
    for (const f of this.followers) f(l);
  }

  read(q: LogQuery): string {
    return selectLines(this.lines, q, new Date());
  }

  follow(listener: (l: LogLine) => void): () => void {
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }

  close(): void {
    this.file?.end();
    this.file = undefined;
  }
}
