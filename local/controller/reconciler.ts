// The local controller: level-triggered reconciliation of Functions onto runtime processes.
// Every change to a Function (and every stored Function at start-up) leads to reconcile(key),
// which compares what runs with what the spec asks for and records the outcome in status.
import { rmSync } from 'node:fs';
import type { RuntimeCatalog } from '../../lib/catalog.js';
import { resolveFunction, type Resolution } from '../../lib/function/resolve.js';
import { isDns1123Label, isDns1123Subdomain } from '../../lib/k8s/names.js';
import type { FunctionStatus, KubelessFunction } from '../../lib/types.js';
import { prepareStatusUpdate } from '../api/meta.js';
import type { DataDir } from '../data-dir.js';
import {
  NotFound,
  ResourceVersionConflict,
  storeKey,
  keyFields,
  type Store,
  type StoredObject,
} from '../store/store.js';
import { errField } from '../../lib/server/log.js';
import { statusChanged } from '../../lib/k8s/conditions.js';
import { functionStatus, type Phase } from './decide.js';
import { Instance, type InstanceDeps } from './instance.js';
import { FunctionLog } from './logs.js';

export interface ControllerOptions extends InstanceDeps {
  store: Store;
  catalog: () => RuntimeCatalog;
  dirs: DataDir;
}

/** Which Function: taken from the object's metadata, never by splitting a store key. */
interface FunctionRef {
  namespace: string;
  name: string;
  key: string;
}

function refOf(o: StoredObject): FunctionRef | undefined {
  const { namespace, name } = o.metadata;
  // The API refuses such names; an object stored by an older version is left alone, not run.
  if (typeof namespace !== 'string' || typeof name !== 'string') return undefined;
  if (!isDns1123Label(namespace) || !isDns1123Subdomain(name)) return undefined;
  return { namespace, name, key: storeKey('functions', namespace, name) };
}

type FunctionResolution = Resolution<KubelessFunction>;

/**
 * What decides whether the running process must be replaced: the rollout hash the cluster rolls
 * its pods on. A Function that does not resolve is keyed by its problem, so a different problem
 * is reconciled (and reported) again.
 */
function hashOf(r: FunctionResolution): string {
  return r.ok ? r.value.rolloutHash : `unresolved:${r.problem.reason}:${r.problem.message}`;
}

interface Running {
  hash: string;
  generation: number;
  instance: Instance | undefined;
  phase: Phase;
  /** The catalog runtime that runs it (spec.runtime may be an alias of it). */
  runtime?: string;
}

export type Endpoint =
  | { state: 'ready'; port: number; timeoutSeconds: number; deadlineMs: number }
  | { state: 'starting' }
  | { state: 'failed'; reason: string; message: string }
  | { state: 'missing' };

/** Bounds how many functions are being prepared and started at once, so a burst of creates cannot fork-bomb the machine. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(n: number) {
    this.free = n;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

export const PARALLEL_STARTS = 4;

export class FunctionController {
  private readonly slots = new Slots(PARALLEL_STARTS);
  private readonly running = new Map<string, Running>();
  private readonly logs = new Map<string, FunctionLog>();
  private readonly queue = new Map<string, { busy: boolean; again: boolean }>();
  private readonly refused = new Set<string>();
  /** Resolutions of stored objects: the store replaces an object on every write, so identity is freshness. */
  private readonly resolutions = new WeakMap<
    object,
    { catalog: RuntimeCatalog; resolution: FunctionResolution }
  >();
  private unwatch: (() => void) | undefined;
  private closed = false;

  constructor(private readonly opts: ControllerOptions) {}

  start(): void {
    const { store } = this.opts;
    this.unwatch = store.watch(Number(store.resourceVersion), (ev) => {
      if (ev.key.startsWith('functions/')) this.enqueue(ev.key, ev.object);
    });
    for (const fn of store.list('functions/'))
      this.enqueue(storeKey('functions', fn.metadata.namespace ?? '', fn.metadata.name ?? ''), fn);
  }

  log(namespace: string, name: string): FunctionLog {
    const key = storeKey('functions', namespace, name);
    let l = this.logs.get(key);
    if (!l) {
      l = new FunctionLog(this.opts.dirs.logFile(namespace, name));
      this.logs.set(key, l);
    }
    return l;
  }

  /** The Function resolved once per stored version (invokes read it on every call). */
  private resolve(fn: Readonly<KubelessFunction>): FunctionResolution {
    const catalog = this.opts.catalog();
    const cached = this.resolutions.get(fn);
    if (cached && cached.catalog === catalog) return cached.resolution;
    const resolution = resolveFunction(fn as KubelessFunction, catalog);
    this.resolutions.set(fn, { catalog, resolution });
    return resolution;
  }

  endpoint(namespace: string, name: string): Endpoint {
    const key = storeKey('functions', namespace, name);
    // Read on every invoke: the stored object itself, not a copy.
    const fn = this.opts.store.peek(key) as Readonly<KubelessFunction> | undefined;
    if (!fn) return { state: 'missing' };
    const r = this.running.get(key);
    const resolution = this.resolve(fn);
    if (r?.instance?.ready && r.instance.port !== undefined) {
      // The running process's own timeout until its replacement is ready.
      const { timeoutSeconds, invokeDeadlineMs } = r.instance.target.resolved;
      return { state: 'ready', port: r.instance.port, timeoutSeconds, deadlineMs: invokeDeadlineMs };
    }
    if (!r || r.phase.state === 'Progressing' || r.hash !== hashOf(resolution)) return { state: 'starting' };
    if (r.phase.state === 'Failed')
      return { state: 'failed', reason: r.phase.reason, message: r.phase.message };
    return { state: 'starting' };
  }

  /** Serialises work per key: a change during a reconcile runs it once more afterwards. */
  private enqueue(storedKey: string, obj: StoredObject): void {
    if (this.closed) return;
    const ref = refOf(obj);
    if (!ref || ref.key !== storedKey) {
      if (!this.refused.has(storedKey)) {
        this.refused.add(storedKey);
        this.opts.logger.error(
          { ...keyFields(storedKey) },
          'not running a Function whose namespace or name the API refuses (stored by an older version); delete it from the store',
        );
      }
      return;
    }
    const { key } = ref;
    const q = this.queue.get(key) ?? { busy: false, again: false };
    this.queue.set(key, q);
    if (q.busy) {
      q.again = true;
      return;
    }
    q.busy = true;
    void (async () => {
      do {
        q.again = false;
        try {
          await this.reconcile(ref);
        } catch (err) {
          this.opts.logger.error({ ...keyFields(key), ...errField(err) }, 'reconcile failed');
        }
      } while (q.again && !this.closed);
      this.queue.delete(key);
    })();
  }

  private async reconcile({ key, namespace, name }: FunctionRef): Promise<void> {
    const fn = this.opts.store.get(key) as KubelessFunction | undefined;
    const cur = this.running.get(key);
    if (!fn) {
      if (cur) {
        this.running.delete(key);
        await cur.instance?.stop();
        this.logs.get(key)?.close();
        this.logs.delete(key);
        rmSync(this.opts.dirs.functionDir(namespace, name), { recursive: true, force: true });
        this.opts.logger.info({ namespace, name }, 'function deleted; process stopped');
      }
      return;
    }
    const generation = fn.metadata.generation ?? 1;
    const resolution = this.resolve(fn);
    const hash = hashOf(resolution);
    if (cur && cur.hash === hash) {
      cur.generation = generation;
      await this.writeStatus(key, cur.phase, generation, cur.runtime);
      return;
    }
    const log = this.log(namespace, name);
    if (!resolution.ok) {
      await cur?.instance?.stop();
      log.line(resolution.problem.message);
      const phase: Phase = { state: 'Failed', ...resolution.problem };
      this.running.set(key, { hash, generation, instance: undefined, phase });
      await this.writeStatus(key, phase, generation);
      return;
    }
    const resolved = resolution.value;
    const { runtime } = resolved;
    const entry: Running = {
      hash,
      generation,
      instance: undefined,
      phase: { state: 'Progressing', message: 'starting the runtime' },
      runtime: runtime.id,
    };
    const previous = cur?.instance;
    const instance = new Instance(
      { resolved, dir: this.opts.dirs.codeDir(namespace, name, hash) },
      log,
      this.opts,
      (i) => {
        if (this.running.get(key)?.instance !== i) return;
        entry.phase = i.phase;
        void this.writeStatus(key, i.phase, entry.generation, entry.runtime).catch((err: Error) =>
          this.opts.logger.error(
            { kind: 'Function', namespace, name, err: err.message },
            'status write failed',
          ),
        );
      },
    );
    entry.instance = instance;
    this.running.set(key, entry);
    const runs = resolved.runtimeAlias ? `${resolved.runtimeAlias}, run by ${runtime.id}` : runtime.id;
    log.line(`starting generation ${generation} (${runs}, handler ${fn.spec.handler})`);
    this.opts.logger.info({ namespace, name, generation, runtime: runtime.id }, 'starting function');
    // Not awaited: the start should not wait for a Progressing status to reach the disk.
    void this.writeStatus(key, entry.phase, generation, entry.runtime).catch((err: Error) =>
      this.opts.logger.error({ kind: 'Function', namespace, name, err: err.message }, 'status write failed'),
    );
    // The old process serves until the new one has started or failed, like a rolling update.
    await this.slots.run(async () => {
      // Skip a start the user no longer wants (deleted or changed while waiting for a slot).
      const latest = this.opts.store.get(key) as KubelessFunction | undefined;
      if (latest && hashOf(this.resolve(latest)) === hash) await instance.start();
    });
    if (previous) await previous.stop();
  }

  private async writeStatus(key: string, phase: Phase, generation: number, runtime?: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const cur = this.opts.store.get(key);
      if (!cur || (cur.metadata as { generation?: number }).generation !== generation) return;
      const previous = cur.status as FunctionStatus | undefined;
      const status = functionStatus(
        previous,
        phase,
        generation,
        new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        runtime,
      );
      if (!statusChanged(previous, status)) return;
      try {
        await this.opts.store.update(
          key,
          prepareStatusUpdate(cur, { ...cur, status } as StoredObject),
          cur.metadata.resourceVersion,
        );
        return;
      } catch (err) {
        if (err instanceof NotFound) return;
        if (!(err instanceof ResourceVersionConflict)) throw err;
      }
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.unwatch?.();
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((r) => r.instance?.stop()));
    for (const l of this.logs.values()) l.close();
  }
}
