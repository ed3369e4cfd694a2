// The offset tracker: which offset of a partition may be committed when records finish out of
// order. Pure bookkeeping, no I/O: the consumer feeds it what it fetched and what finished.

interface Entry {
  offset: bigint;
  done: boolean;
}

/**
 * One partition's records between the last commit and the newest fetched one. The commit point
 * is the lowest offset not yet finished (delivered or dead-lettered): committing it tells Kafka
 * that everything below is done, and a restart resumes there, re-delivering only what was not.
 * Offsets must be taken in increasing order; gaps (compacted records, transaction markers) are
 * fine, because Kafka never hands out an offset that was skipped.
 */
export class PartitionOffsets {
  private entries: Entry[] = [];
  private head = 0;
  private last: bigint | undefined;
  private open = 0;
  private committedTo: bigint | undefined;

  /** How many taken records are not finished yet. */
  get pending(): number {
    return this.open;
  }

  /** The highest offset taken, if any. */
  get highest(): bigint | undefined {
    return this.last;
  }

  /** The last offset Kafka acknowledged as committed (the next one to read after a restart). */
  get committed(): bigint | undefined {
    return this.committedTo;
  }

  /** Takes a fetched record. A record at or below the highest taken one was taken already. */
  take(offset: bigint): void {
    if (this.last !== undefined && offset <= this.last) {
      throw new Error(`offset ${offset} taken after ${this.last}: offsets must increase`);
    }
    this.entries.push({ offset, done: false });
    this.last = offset;
    this.open++;
  }

  /** Whether this offset was taken already (finished or not): a refetch must not deliver it again. */
  seen(offset: bigint): boolean {
    return this.last !== undefined && offset <= this.last;
  }

  /** Marks a taken record finished. Unknown or already finished offsets change nothing. */
  finish(offset: bigint): void {
    const i = this.find(offset);
    if (i < 0) return;
    const e = this.entries[i];
    if (!e || e.done) return;
    e.done = true;
    this.open--;
    this.dropFinishedHead();
  }

  /**
   * The offset to commit now: the first unfinished one, or one past the highest when all are
   * finished; undefined when nothing was taken or it is what Kafka already has.
   */
  commitPoint(): bigint | undefined {
    const point = this.resumePoint();
    if (point === undefined) return undefined;
    return this.committedTo !== undefined && point <= this.committedTo ? undefined : point;
  }

  /** Where a successor would start if this were committed now (undefined before the first take). */
  resumePoint(): bigint | undefined {
    if (this.last === undefined) return undefined;
    const first = this.entries[this.head];
    return first ? first.offset : this.last + 1n;
  }

  /** Records that Kafka stored this commit point. */
  committedAt(offset: bigint): void {
    if (this.committedTo === undefined || offset > this.committedTo) this.committedTo = offset;
  }

  private dropFinishedHead(): void {
    while (this.head < this.entries.length && this.entries[this.head]?.done) this.head++;
    // Compact now and then so the array does not grow with every record ever taken.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Binary search among the live entries (offsets increase). */
  private find(offset: bigint): number {
    let lo = this.head;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const o = this.entries[mid]?.offset ?? 0n;
      if (o === offset) return mid;
      if (o < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
