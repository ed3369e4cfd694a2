import type { CertMaterial, RotationPlan } from './bundle.js';
import { mergeBundle, planRotation } from './bundle.js';
import { createCa, createServingCert } from './issue.js';
import type { CaBundleTargets, StoredMaterial } from './kube.js';

/** The subset of CertStore the manager needs (kept narrow so the flow can be exercised without a cluster). */
export interface MaterialStore {
  readonly namespace: string;
  readonly secretName: string;
  read(): Promise<StoredMaterial>;
  write(material: CertMaterial, previous: StoredMaterial): Promise<boolean>;
  publish(targets: CaBundleTargets, bundle: string, now: Date): Promise<string[]>;
}

export interface CertLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SelfManagedOptions {
  store: MaterialStore;
  targets: CaBundleTargets;
  hosts: string[];
  commonName: string;
  /** Lifetime of each CA and serving certificate. */
  lifetimeMs: number;
  /** Fraction of the lifetime after which a new CA and certificate are issued (2/3 by default). */
  rotateAt: number;
  /**
   * Time between publishing a new CA and serving with the certificate it signed: kube-apiserver
   * learns webhook configuration changes through an informer, so it needs a moment to trust the new CA.
   */
  propagationDelayMs: number;
  checkIntervalMs: number;
  logger: CertLogger;
  /** Called with every new material (the first, rotations, and changes made by other replicas). */
  onMaterial: (material: CertMaterial) => void;
  now?: () => Date;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Keeps a CA and a serving certificate in a Secret, publishes the CA to the configured webhook
 * configurations and APIServices, and rotates both before they expire. Every replica runs it: writes
 * are guarded by resourceVersion, and bundles are merged, so concurrent rotations cannot break trust.
 */
export class SelfManagedCerts {
  private timer: NodeJS.Timeout | undefined;
  private current: CertMaterial | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private targetsMissing = false;

  constructor(private readonly opts: SelfManagedOptions) {}

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }

  /** Ensures valid material exists and returns it; then keeps checking in the background. */
  async start(): Promise<CertMaterial> {
    await this.reconcile();
    this.schedule();
    if (!this.current) throw new Error('certificate manager produced no material');
    return this.current;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One pass: adopt, create or rotate. Serialised so a slow pass never overlaps the next one. */
  reconcile(force?: string): Promise<void> {
    // A forced rotation must not be absorbed by a routine check already in flight (that pass may
    // decide "keep"): it runs as its own pass once the current one has ended.
    if (force && this.running) {
      return this.running.catch(() => undefined).then(() => this.reconcile(force));
    }
    this.running ??= this.pass(force).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.reconcile()
        .catch((err: unknown) =>
          this.opts.logger.error({ err: String(err), ...this.where() }, 'certificate check failed'),
        )
        .finally(() => this.schedule());
    }, this.nextCheckMs());
    this.timer.unref();
  }

  private where(): object {
    return { namespace: this.opts.store.namespace, name: this.opts.store.secretName };
  }

  private async pass(force?: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await this.opts.store.read();
      const planned = planRotation(stored.material, this.now(), this.opts.rotateAt, this.opts.hosts);
      const plan: RotationPlan =
        force && planned.action === 'keep' ? { action: 'rotate', reason: force } : planned;
      if (plan.action === 'keep' && stored.material) {
        await this.publish(stored.material.caBundle);
        this.deliver(stored.material);
        return;
      }
      const issued = this.issue(stored.material);
      // Publish the new CA before anything serves with a certificate it signed.
      await this.publish(issued.caBundle);
      if (stored.material) await sleep(this.opts.propagationDelayMs);
      if (await this.opts.store.write(issued, stored)) {
        const reason = plan.action === 'rotate' ? plan.reason : 'no certificate stored';
        this.opts.logger.info({ ...this.where(), reason }, 'issued a new CA and serving certificate');
        this.deliver(issued);
        return;
      }
      // Another replica wrote first: loop to adopt what it stored.
      force = undefined;
    }
    throw new Error(
      `Secret ${this.opts.store.namespace}/${this.opts.store.secretName} kept changing while rotating`,
    );
  }

  private issue(previous: CertMaterial | undefined): CertMaterial {
    const now = this.now();
    const ca = createCa({
      commonName: `${this.opts.commonName}-ca`,
      notBefore: now,
      lifetimeMs: this.opts.lifetimeMs,
    });
    const serving = createServingCert({
      ca,
      commonName: this.opts.commonName,
      hosts: this.opts.hosts,
      notBefore: now,
      lifetimeMs: this.opts.lifetimeMs,
    });
    return {
      tlsCert: serving.cert,
      tlsKey: serving.key,
      caBundle: mergeBundle([ca.cert, previous?.caBundle ?? ''], now),
      caCert: ca.cert,
      caKey: ca.key,
    };
  }

  // The chart creates the webhook configurations alongside the Deployment, so they may appear just
  // after the first pass: look again soon rather than leaving them without a caBundle for a full interval.
  private nextCheckMs(): number {
    return this.targetsMissing ? Math.min(this.opts.checkIntervalMs, 5_000) : this.opts.checkIntervalMs;
  }

  private async publish(bundle: string): Promise<void> {
    const missing = await this.opts.store.publish(this.opts.targets, bundle, this.now());
    this.targetsMissing = missing.length > 0;
    if (missing.length > 0) {
      this.opts.logger.warn(
        { ...this.where(), missing },
        'caBundle targets not found; they will be updated once created',
      );
    }
  }

  private deliver(m: CertMaterial): void {
    if (this.current && this.current.tlsCert === m.tlsCert && this.current.caBundle === m.caBundle) return;
    this.current = m;
    this.opts.onMaterial(m);
  }
}
