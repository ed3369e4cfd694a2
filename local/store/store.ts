// The local platform's object store: objects in memory, every change made durable by the
// write-ahead log before the caller hears about it, and a short event history so watches can
// resume from a resourceVersion.
import { mkdirSync } from 'node:fs';
import { WriteAheadLog } from './wal.js';
import { KINDS, PLURALS } from '../../lib/types.js';
import { objectFields, type ObjectRef } from '../../lib/server/log.js';

export interface StoredObject {
  metadata: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  key: string;
  rv: number;
  object: StoredObject;
}

export type Listener = (ev: StoreEvent) => void;

export class ResourceVersionConflict extends Error {}
export class NotFound extends Error {}
export class AlreadyExists extends Error {}
export class HistoryExpired extends Error {}

const HISTORY = 2000;
const COMPACT_AFTER = 5000;

export function storeKey(plural: string, namespace: string, name: string): string {
  return `${plural}/${namespace}/${name}`;
}

/** The object a store key names, as log fields (kind, namespace, name). */
export function keyFields(key: string): ObjectRef {
  const [plural = '', namespace = '', ...rest] = key.split('/');
  const kind = KINDS.find((k) => PLURALS[k] === plural) ?? plural;
  return objectFields({ kind, namespace, name: rest.join('/') });
}

export class Store {
  private readonly objects = new Map<string, StoredObject>();
  private readonly listeners = new Set<Listener>();
  private history: StoreEvent[] = [];
  private rv: number;
  private compacting = false;

  private constructor(
    private readonly wal: WriteAheadLog,
    rv: number,
    objects: Record<string, unknown>,
  ) {
    this.rv = rv;
    for (const [k, v] of Object.entries(objects)) this.objects.set(k, v as StoredObject);
  }

  static async open(dir: string): Promise<Store> {
    mkdirSync(dir, { recursive: true });
    const { wal, state } = await WriteAheadLog.open(dir);
    return new Store(wal, state.rv, state.objects);
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  get(key: string): StoredObject | undefined {
    const o = this.objects.get(key);
    return o === undefined ? undefined : structuredClone(o);
  }

  /**
   * The stored object itself, not a copy, for a read on every call (an invoke looking up its
   * function's timeout): copying a Function with its code cost more than the rest of the lookup.
   * Callers must not change it; the store replaces objects on write, never mutates them.
   */
  peek(key: string): Readonly<StoredObject> | undefined {
    return this.objects.get(key);
  }

  /** Every object whose key starts with `prefix` (e.g. `functions/default/`), sorted by key. */
  list(prefix: string): StoredObject[] {
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => structuredClone(v));
  }

  create(key: string, obj: StoredObject): Promise<StoredObject> {
    if (this.objects.has(key)) throw new AlreadyExists(key);
    return this.write('ADDED', key, obj);
  }

  /** Replaces an object; `expectedRv` (when given) must match the stored one. */
  update(key: string, obj: StoredObject, expectedRv?: string): Promise<StoredObject> {
    const current = this.objects.get(key);
    if (!current) throw new NotFound(key);
    if (expectedRv !== undefined && expectedRv !== '' && expectedRv !== current.metadata.resourceVersion) {
      throw new ResourceVersionConflict(key);
    }
    return this.write('MODIFIED', key, obj);
  }

  async delete(key: string, expectedRv?: string): Promise<StoredObject> {
    const current = this.objects.get(key);
    if (!current) throw new NotFound(key);
    if (expectedRv !== undefined && expectedRv !== '' && expectedRv !== current.metadata.resourceVersion) {
      throw new ResourceVersionConflict(key);
    }
    this.rv += 1;
    const rv = this.rv;
    const gone = structuredClone(current);
    gone.metadata.resourceVersion = String(rv);
    this.objects.delete(key);
    await this.wal.append({ rv, op: 'del', key });
    this.emit({ type: 'DELETED', key, rv, object: gone });
    return structuredClone(gone);
  }

  private async write(type: WatchEventType, key: string, obj: StoredObject): Promise<StoredObject> {
    this.rv += 1;
    const rv = this.rv;
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(rv);
    // Visible to the next request at once (so conflicting writes are detected in order), but the
    // caller and the watchers hear of it only once it is on disk.
    this.objects.set(key, stored);
    await this.wal.append({ rv, op: 'put', key, obj: stored });
    this.emit({ type, key, rv, object: structuredClone(stored) });
    this.maybeCompact();
    return structuredClone(stored);
  }

  private emit(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length > HISTORY) this.history = this.history.slice(-HISTORY);
    for (const l of this.listeners) l(ev);
  }

  private maybeCompact(): void {
    if (this.compacting || this.wal.size < COMPACT_AFTER) return;
    this.compacting = true;
    void this.wal
      .compact(() => ({ rv: this.rv, objects: Object.fromEntries(this.objects) }))
      .finally(() => {
        this.compacting = false;
      });
  }

  /**
   * Subscribes to changes after `sinceRv`. Events still in the history are replayed first;
   * throws HistoryExpired when `sinceRv` is older than the history reaches back.
   */
  watch(sinceRv: number, listener: Listener): () => void {
    if (sinceRv < this.rv) {
      const oldest = this.history[0];
      const covered = oldest !== undefined && oldest.rv <= sinceRv + 1;
      if (!covered)
        throw new HistoryExpired(
          `resourceVersion ${sinceRv} is too old; the oldest kept is ${oldest?.rv ?? this.rv}`,
        );
      for (const ev of this.history) if (ev.rv > sinceRv) listener(ev);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.wal.close();
  }
}
