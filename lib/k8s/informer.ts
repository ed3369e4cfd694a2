// The one list+watch cache of every component that follows Kubernetes objects.
import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { describeError } from './errors.js';
import { trimMeta } from './meta.js';

export interface InformerOptions<T extends KubernetesObject> {
  kc: KubeConfig;
  /** Watch path, e.g. `/api/v1/configmaps`. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  fieldSelector?: string;
  log: Logger;
  onChange: (obj: T, verb: 'add' | 'update' | 'delete') => void;
  /**
   * Runs on every added or updated object, which the cache holds by reference: trims it in place.
   * managedFields and kubectl's last-applied annotation are dropped from every object before it.
   */
  trim?: (obj: T) => void;
  /** Backoff after a failed list or watch: doubles from `minBackoffMs` up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * A list+watch cache (client-node's ListWatch) that reconnects after errors with backoff;
 * ListWatch itself re-lists on 410 Gone and re-watches when the server closes a watch, but stops for good on any other error.
 */
export class Informer<T extends KubernetesObject> {
  private readonly lw: ListWatch<T>;
  private backoffMs: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failedSinceStart = false;
  private hasSynced = false;

  constructor(private readonly options: InformerOptions<T>) {
    this.backoffMs = options.minBackoffMs ?? 500;
    this.lw = new ListWatch<T>(
      options.path,
      new Watch(options.kc),
      options.list,
      false,
      options.labelSelector,
      options.fieldSelector,
    );
    const custom = options.trim ?? (() => undefined);
    // No reader of any cache needs managedFields or kubectl's copy of the manifest (for a
    // Function, that copy holds its code a second time), so every informer drops them.
    const trim = (o: T) => {
      o.metadata = trimMeta(o.metadata);
      custom(o);
    };
    this.lw.on('add', (o) => {
      trim(o);
      options.onChange(o, 'add');
    });
    this.lw.on('update', (o) => {
      trim(o);
      options.onChange(o, 'update');
    });
    this.lw.on('delete', (o) => options.onChange(o, 'delete'));
    this.lw.on('error', (err: unknown) => this.onError(err));
  }

  get synced(): boolean {
    return this.hasSynced;
  }

  get(name: string, namespace?: string): T | undefined {
    return this.lw.get(name, namespace);
  }

  list(namespace?: string): readonly T[] {
    return this.lw.list(namespace);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.failedSinceStart = false;
    await this.lw.start();
    if (!this.failedSinceStart) {
      this.hasSynced = true;
      this.backoffMs = this.options.minBackoffMs ?? 500;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.lw.stop();
  }

  private onError(err: unknown): void {
    this.failedSinceStart = true;
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.options.maxBackoffMs ?? 30_000, this.backoffMs * 2);
    this.options.log.warn(
      { path: this.options.path, error: describeError(err), retryInMs: delay },
      'watch failed; reconnecting',
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped) void this.start();
    }, delay);
  }
}
