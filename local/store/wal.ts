// Durability for the local store: an append-only log of JSON lines plus a snapshot.
//
// Why a log rather than a file per object: one fsync covers every write that arrived while the
// previous fsync ran (group commit), so 100 concurrent creates cost a handful of fsyncs instead of
// 200 (file + directory) — and a torn last line after `kill -9` is simply ignored on replay.
// Compaction writes a snapshot with tmp + fsync + rename + fsync(dir), then starts a new log;
// replay skips log records the snapshot already holds, so a crash between the two steps is safe.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { inside } from '../../lib/fs/inside.js';

export interface PutRecord {
  rv: number;
  op: 'put';
  key: string;
  obj: unknown;
}
export interface DeleteRecord {
  rv: number;
  op: 'del';
  key: string;
}
export type LogRecord = PutRecord | DeleteRecord;

export interface Snapshot {
  rv: number;
  objects: Record<string, unknown>;
}

const SNAPSHOT = 'snapshot.json';
const LOG = 'log.jsonl';

/** Applies log lines to a snapshot; stops at the first unreadable line (a torn write). Pure. */
export function replay(snapshot: Snapshot, logText: string): Snapshot {
  const objects = { ...snapshot.objects };
  let rv = snapshot.rv;
  for (const line of logText.split('\n')) {
    if (line === '') continue;
    let rec: LogRecord;
    try {
      rec = JSON.parse(line) as LogRecord;
    } catch {
      break;
    }
    if (rec.rv <= snapshot.rv) continue;
    if (rec.op === 'put') objects[rec.key] = rec.obj;
    else delete objects[rec.key];
    rv = Math.max(rv, rec.rv);
  }
  return { rv, objects };
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeDurably(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

export class WriteAheadLog {
  private handle: FileHandle | undefined;
  private pending: Array<{ line: string; done: (err?: Error) => void }> = [];
  private scheduled = false;
  // Flushes and compactions run one at a time, so a compaction never swaps the log file under
  // a batch that is being written.
  private chain: Promise<void> = Promise.resolve();
  private records = 0;

  private constructor(private readonly dir: string) {}

  /** Loads the stored state and compacts it into a fresh snapshot with an empty log. */
  static async open(dir: string): Promise<{ wal: WriteAheadLog; state: Snapshot }> {
    const snapFile = inside(dir, SNAPSHOT);
    const logFile = inside(dir, LOG);
    let snapshot: Snapshot = { rv: 0, objects: {} };
    if (existsSync(snapFile)) snapshot = JSON.parse(readFileSync(snapFile, 'utf8')) as Snapshot;
    const state = existsSync(logFile) ? replay(snapshot, readFileSync(logFile, 'utf8')) : snapshot;
    const wal = new WriteAheadLog(dir);
    await wal.compact(() => state);
    return { wal, state };
  }

  /** Records appended since the last compaction. */
  get size(): number {
    return this.records;
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the record is on disk (fsync), never before. */
  append(rec: LogRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: JSON.stringify(rec) + '\n', done: (err) => (err ? reject(err) : resolve()) });
      this.records += 1;
      if (!this.scheduled) {
        this.scheduled = true;
        void this.serial(() => this.flushBatch());
      }
    });
  }

  private async flushBatch(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      if (!this.handle) this.handle = await open(inside(this.dir, LOG), 'a', 0o600);
      await this.handle.write(batch.map((b) => b.line).join(''));
      await this.handle.datasync();
      for (const b of batch) b.done();
    } catch (err) {
      const e = new Error(
        `could not write the store log in ${this.dir}: ${(err as Error).message}; check free space and permissions`,
      );
      for (const b of batch) b.done(e);
    }
  }

  /**
   * Replaces snapshot + log with one snapshot of the state `current()` returns when the
   * compaction runs (after every earlier batch is on disk). Records still pending carry
   * resourceVersions the snapshot already holds, so replay skips them.
   */
  compact(current: () => Snapshot): Promise<void> {
    return this.serial(async () => {
      await this.handle?.close();
      this.handle = undefined;
      writeDurably(inside(this.dir, SNAPSHOT), JSON.stringify(current()));
      writeDurably(inside(this.dir, LOG), '');
      this.records = 0;
    });
  }

  async close(): Promise<void> {
    await this.serial(async () => {
      await this.handle?.close();
      this.handle = undefined;
    });
  }
}
