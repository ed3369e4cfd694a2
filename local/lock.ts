// The local platform owns its data dir exclusively. A lock file records the owner's pid, its
// process start time (so a recycled pid is not mistaken for it), host and port. It is created
// atomically with its whole content (link(2) of a written temp file), a lock whose owner is gone
// is taken over, and a live one is refused with a message naming the pid and the port.
import { randomBytes } from 'node:crypto';
import {
  linkSync,
  openSync,
  closeSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processStart } from './process-start.js';

export interface LockOwner {
  pid: number;
  /** processStart(pid) when the lock was taken. */
  start?: string;
  host: string;
  dataDir: string;
  since: string;
  /** The API port, once the platform listens. */
  port?: number;
}

export class DataDirLocked extends Error {
  constructor(
    readonly owner: LockOwner,
    message: string,
  ) {
    super(message);
  }
}

export type LockState = 'held' | 'stale' | 'foreign';

/** Whether the owner recorded in a lock still runs. Pure, given how to read a process's start. */
export function lockState(
  owner: LockOwner | undefined,
  host: string,
  startOf: (pid: number) => string | undefined,
): LockState {
  if (owner === undefined) return 'stale';
  if (owner.host !== host) return 'foreign';
  const start = startOf(owner.pid);
  if (start === undefined) return 'stale';
  if (owner.start !== undefined && owner.start !== start) return 'stale';
  return 'held';
}

export function describeOwner(owner: LockOwner, lockFile: string, state: LockState): string {
  const where = owner.port !== undefined ? `its API on 127.0.0.1:${owner.port}` : 'still starting';
  if (state === 'foreign')
    return (
      `the data dir ${owner.dataDir} is locked by kubeless local pid ${owner.pid} on host ${owner.host} (${where}, since ${owner.since}); ` +
      `stop it there, or if it no longer runs delete ${lockFile}; or pass another --data-dir`
    );
  return (
    `the data dir ${owner.dataDir} is used by another kubeless local, pid ${owner.pid} (${where}, since ${owner.since}); ` +
    `stop it first (kill ${owner.pid}) or pass another --data-dir`
  );
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string') return undefined;
    return { dataDir: '', since: '', ...o } as LockOwner;
  } catch {
    return undefined;
  }
}

function readOwner(file: string): { text: string; owner: LockOwner | undefined } | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    return { text, owner: parseOwner(text) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function writeTemp(file: string, owner: LockOwner): string {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, JSON.stringify(owner) + '\n', { mode: 0o600, flag: 'wx' });
  return tmp;
}

// A takeover guard left by a process killed mid-takeover is ignored after this long.
const GUARD_STALE_MS = 10_000;

export class DataDirLock {
  private constructor(
    readonly file: string,
    private owner: LockOwner,
  ) {}

  /**
   * Takes the lock or throws DataDirLocked. `onTakeover` hears of a stale lock that was replaced.
   */
  static async acquire(
    file: string,
    onTakeover?: (stale: LockOwner | undefined) => void,
  ): Promise<DataDirLock> {
    const me: LockOwner = {
      pid: process.pid,
      start: processStart(process.pid),
      host: os.hostname(),
      dataDir: path.dirname(file),
      since: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const tmp = writeTemp(file, me);
      try {
        linkSync(tmp, file);
        return new DataDirLock(file, me);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        rmSync(tmp, { force: true });
      }
      const seen = readOwner(file);
      if (seen === undefined) continue; // released meanwhile: try again
      const state = lockState(seen.owner, me.host, processStart);
      if (state !== 'stale') throw new DataDirLocked(seen.owner!, describeOwner(seen.owner!, file, state));
      if (DataDirLock.removeStale(file, seen.text)) onTakeover?.(seen.owner);
      else await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
    throw new Error(`could not take the lock ${file} after 50 attempts; another start is racing for it`);
  }

  /** Removes a stale lock unless someone else is taking it over or it changed since it was read. */
  private static removeStale(file: string, seenText: string): boolean {
    const guard = `${file}.takeover`;
    let fd: number;
    try {
      fd = openSync(guard, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(guard).mtimeMs > GUARD_STALE_MS) rmSync(guard, { force: true });
      } catch {
        // gone meanwhile
      }
      return false;
    }
    try {
      if (readOwner(file)?.text !== seenText) return false;
      rmSync(file, { force: true });
      return true;
    } finally {
      closeSync(fd);
      rmSync(guard, { force: true });
    }
  }

  /** Records the ports once the platform listens (what a refused second start names). */
  update(fields: Pick<LockOwner, 'port'>): void {
    this.owner = { ...this.owner, ...fields };
    const tmp = writeTemp(this.file, this.owner);
    renameSync(tmp, this.file);
  }

  /** Removes the lock if it is still this process's. */
  release(): void {
    const seen = readOwner(this.file);
    if (seen?.owner?.pid === this.owner.pid && seen.owner.start === this.owner.start)
      rmSync(this.file, { force: true });
  }
}
