import { V1MicroTime, type CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';
import { describeError, statusCode } from './kube.js';
import { decideLease, leaseRecord } from './leader-decide.js';
import type { Logger } from '../lib/server/log.js';

export interface LeaderOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  /** How often the leader renews and followers retry. */
  retryPeriodMs: number;
  /** A leader that has not renewed for this long stops leading (must be below the lease duration). */
  renewDeadlineMs: number;
}

/** Leader election on a coordination.k8s.io/v1 Lease, with optimistic concurrency (resourceVersion). */
export class LeaderElector {
  private leading = false;
  private lastRenewMs = 0;
  private observedRecord = '';
  private observedAtMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private current: V1Lease | undefined;

  constructor(
    private readonly api: CoordinationV1Api,
    private readonly options: LeaderOptions,
    private readonly log: Logger,
    private readonly onStartedLeading: () => void,
    private readonly onStoppedLeading: () => void,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Gives the Lease up so another instance can lead at once instead of waiting for it to expire. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leading || !this.current) return;
    this.leading = false;
    const lease = structuredClone(this.current);
    lease.spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: new V1MicroTime() };
    try {
      await this.api.replaceNamespacedLease({
        name: this.options.name,
        namespace: this.options.namespace,
        body: lease,
      });
      this.log.info({ lease: this.options.name }, 'released leadership');
    } catch (err) {
      this.log.warn({ err: describeError(err) }, 'could not release the lease; it will expire on its own');
    }
  }

  private async tick(): Promise<void> {
    try {
      await this.tryAcquireOrRenew();
    } catch (err) {
      this.log.warn(
        { lease: this.options.name, error: describeError(err) },
        'leader election: lease update failed',
      );
    }
    if (this.leading && Date.now() - this.lastRenewMs > this.options.renewDeadlineMs) {
      this.log.error({ lease: this.options.name }, 'lost leadership: could not renew the lease in time');
      this.leading = false;
      this.onStoppedLeading();
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.options.retryPeriodMs);
  }

  private async read(): Promise<V1Lease | undefined> {
    try {
      return await this.api.readNamespacedLease({
        name: this.options.name,
        namespace: this.options.namespace,
      });
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw err;
    }
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const { name, namespace, identity, leaseDurationSeconds } = this.options;
    const lease = await this.read();
    const now = Date.now();
    const record = leaseRecord(lease);
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAtMs = now;
    }
    const action = decideLease(lease, identity, this.observedAtMs, now);
    if (action === 'follow') {
      if (this.leading) {
        this.leading = false;
        this.log.error(
          { lease: name, holder: lease?.spec?.holderIdentity },
          'lost leadership to another instance',
        );
        this.onStoppedLeading();
      }
      return;
    }
    const stamp = new V1MicroTime(now);
    const spec = {
      holderIdentity: identity,
      leaseDurationSeconds,
      renewTime: stamp,
      acquireTime: action === 'renew' ? lease?.spec?.acquireTime : stamp,
      leaseTransitions: (lease?.spec?.leaseTransitions ?? 0) + (action === 'takeover' ? 1 : 0),
    };
    try {
      this.current =
        action === 'create'
          ? await this.api.createNamespacedLease({
              namespace,
              body: {
                apiVersion: 'coordination.k8s.io/v1',
                kind: 'Lease',
                metadata: { name, namespace },
                spec,
              },
            })
          : await this.api.replaceNamespacedLease({
              name,
              namespace,
              body: { ...lease, spec: { ...lease?.spec, ...spec } },
            });
    } catch (err) {
      // 409: another instance wrote the Lease first; it leads.
      if (statusCode(err) === 409) return;
      throw err;
    }
    this.lastRenewMs = now;
    this.observedRecord = leaseRecord(this.current);
    this.observedAtMs = now;
    if (!this.leading) {
      this.leading = true;
      this.log.info({ lease: name, identity, action }, 'became leader');
      this.onStartedLeading();
    }
  }
}
