// Kept-alive connections to functions, shared by every caller of a process (invoke proxy, HTTP
// trigger gateway, CronJob and Kafka callers). One undici Client per connection, pooled per
// address here rather than in undici's Pool, because the retry rule (retry.ts) must know whether
// a call went out on a socket that had served an earlier one. A kept socket saves a TCP handshake
// per call, but it is pinned to one process (one pod, through kube-proxy's connection tracking):
// - an answer with `Connection: close` (a runtime draining for shutdown) retires its socket
//   (undici does that);
// - an idle socket closes after `idleTimeoutMs`, well before the runtimes' own keep-alive timeout;
// - a connection older than `maxSocketAgeMs` is closed after its call, so calls spread over new
//   pods and no socket outlives a rollout by much;
// - `dropIdle(address)` closes the idle connections to an address that went away or failed;
// - `fresh(address)` is a connection of a call's own (a retry; a streamed body that cannot be
//   sent twice must not meet a kept socket that may be closing).
import { Client } from 'undici';

export interface Address {
  host: string;
  port: number;
  /** HTTPS (a Kafka trigger's --function-url may point at one); functions themselves speak HTTP. */
  tls?: boolean;
}

export interface ConnectionOptions {
  /** Connections per function address (calls beyond wait for one). */
  maxSocketsPerAddress: number;
  /** An idle kept connection is closed after this long: well under the runtimes' 65 s keep-alive. */
  idleTimeoutMs: number;
  /** A connection is not kept past this age. */
  maxSocketAgeMs: number;
  /** Giving up on opening a connection. */
  connectTimeoutMs: number;
}

export const DEFAULT_CONNECTIONS: ConnectionOptions = {
  // Below the Python runtime's default cap of 256 connections, so a busy pool is never refused.
  maxSocketsPerAddress: 128,
  idleTimeoutMs: 15_000,
  maxSocketAgeMs: 60_000,
  connectTimeoutMs: 10_000,
};

/** One connection of a pool and what the retry rule needs to know about it. */
export interface Lease {
  readonly client: Client;
  /** The call goes out on a socket that already carried an answer. */
  readonly reused: boolean;
  /** Gives the connection back (or closes it, when it must not be kept). */
  release(): void;
}

function origin(a: Address): string {
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  return `${a.tls ? 'https' : 'http'}://${host}:${a.port}`;
}

interface Slot {
  client: Client;
  connected: boolean;
  /** Answers on the current connection. */
  served: number;
  connectedAt: number;
  /** The pool's epoch when the slot was made: an older one is retired instead of reused. */
  epoch: number;
}

class AddressPool {
  private readonly idle: Slot[] = [];
  private size = 0;
  private epoch = 0;
  private readonly waiting: Array<(s: Slot) => void> = [];

  constructor(
    private readonly origin: string,
    private readonly o: ConnectionOptions,
  ) {}

  private create(): Slot {
    const slot: Slot = {
      client: new Client(this.origin, clientOptions(this.o, true)),
      connected: false,
      served: 0,
      connectedAt: 0,
      epoch: this.epoch,
    };
    slot.client.on('connect', () => {
      slot.connected = true;
      slot.served = 0;
      slot.connectedAt = Date.now();
    });
    slot.client.on('disconnect', () => {
      slot.connected = false;
    });
    // Errors reach the calls; the event only needs a listener so it never throws.
    slot.client.on('connectionError', () => undefined);
    this.size += 1;
    return slot;
  }

  acquire(): Slot | Promise<Slot> {
    // Last in, first out: the busiest connections stay warm, the others time out.
    const slot = this.idle.pop();
    if (slot) return slot;
    if (this.size < this.o.maxSocketsPerAddress) return this.create();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(slot: Slot, answered: boolean): void {
    if (answered) slot.served += 1;
    const stale = slot.epoch !== this.epoch;
    if (stale || (slot.connected && Date.now() - slot.connectedAt > this.o.maxSocketAgeMs)) {
      this.retire(slot);
      const next = this.waiting.shift();
      if (next) next(this.create());
      return;
    }
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  private retire(slot: Slot): void {
    this.size -= 1;
    void slot.client.close().catch(() => undefined);
  }

  dropIdle(): void {
    for (const slot of this.idle.splice(0)) this.retire(slot);
  }

  /** Idle connections close now, busy ones when their call ends. */
  renew(): void {
    this.epoch += 1;
    this.dropIdle();
  }

  close(): void {
    for (const slot of this.idle.splice(0)) {
      this.size -= 1;
      void slot.client.destroy().catch(() => undefined);
    }
  }

  get empty(): boolean {
    return this.size === 0;
  }

  /** No call in flight and no connection open. */
  get dormant(): boolean {
    return this.idle.length === this.size && this.idle.every((s) => !s.connected);
  }
}

class SlotLease implements Lease {
  readonly client: Client;
  readonly reused: boolean;
  private released = false;

  constructor(
    private readonly pool: AddressPool,
    private readonly slot: Slot,
  ) {
    this.client = slot.client;
    this.reused = slot.connected && slot.served > 0;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.pool.release(this.slot, this.slot.connected);
  }
}

function clientOptions(o: ConnectionOptions, keep: boolean): Client.Options {
  return {
    // No pipelining: one call at a time per connection, so a slow call delays no other.
    pipelining: keep ? 1 : 0,
    keepAliveTimeout: o.idleTimeoutMs,
    keepAliveMaxTimeout: o.idleTimeoutMs,
    // The proxy's deadline is the function's timeout; undici's own timers would cut long calls.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: { timeout: o.connectTimeoutMs },
  };
}

/** How often pools of addresses nobody is connected to any more are forgotten. */
const SWEEP_MS = 30_000;

export class FunctionConnections {
  private readonly pools = new Map<string, AddressPool>();
  private lastSweep = Date.now();

  constructor(private readonly o: ConnectionOptions = DEFAULT_CONNECTIONS) {}

  private pool(address: Address): AddressPool {
    const key = origin(address);
    if (Date.now() - this.lastSweep > SWEEP_MS) this.sweep();
    let p = this.pools.get(key);
    if (!p) {
      p = new AddressPool(key, this.o);
      this.pools.set(key, p);
    }
    return p;
  }

  /**
   * A kept connection to `address`: at once when one is idle or another may be opened (the usual
   * case: no promise, no turn of the event loop on the invoke path), a promise when all are busy.
   */
  lease(address: Address): Lease | Promise<Lease> {
    const pool = this.pool(address);
    const got = pool.acquire();
    return got instanceof Promise ? got.then((slot) => new SlotLease(pool, slot)) : new SlotLease(pool, got);
  }

  /** A connection of the call's own, closed after it. */
  fresh(address: Address): Lease {
    const client = new Client(origin(address), clientOptions(this.o, false));
    client.on('connectionError', () => undefined);
    return {
      client,
      reused: false,
      release: () => void client.close().catch(() => undefined),
    };
  }

  /** Closes the idle kept connections to `address`; calls in flight on others finish. */
  dropIdle(address: Address): void {
    this.withPool(address, (p) => p.dropIdle());
  }

  /**
   * Ends every kept connection to `address`: idle ones now, busy ones as their calls end. For an
   * address that stays while what answers behind it changes (a Service whose pods were replaced).
   */
  renew(address: Address): void {
    this.withPool(address, (p) => p.renew());
  }

  private withPool(address: Address, act: (p: AddressPool) => void): void {
    const key = origin(address);
    const p = this.pools.get(key);
    if (!p) return;
    act(p);
    if (p.empty) this.pools.delete(key);
  }

  /** Forgets the pools whose connections all closed (a local runtime's old port, a gone pod). */
  private sweep(): void {
    this.lastSweep = Date.now();
    for (const [key, p] of this.pools) {
      if (p.dormant) {
        p.close();
        this.pools.delete(key);
      }
    }
  }

  close(): void {
    for (const p of this.pools.values()) p.close();
    this.pools.clear();
  }
}
