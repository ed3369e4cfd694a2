import { expect, test } from '@jest/globals';
import {
  SelfManagedCerts,
  splitPem,
  type CertMaterial,
  type MaterialStore,
  type StoredMaterial,
} from '../../../lib/certs/index.js';

/** An in-memory Secret with resourceVersion semantics; reads are slow so passes overlap. */
class MemoryStore implements MaterialStore {
  readonly namespace = 'kubeless';
  readonly secretName = 'certs';
  private stored: StoredMaterial = { material: undefined, resourceVersion: undefined, exists: false };
  private version = 0;
  published: string[] = [];

  async read(): Promise<StoredMaterial> {
    await new Promise((r) => setTimeout(r, 20));
    return this.stored;
  }
  async write(material: CertMaterial, previous: StoredMaterial): Promise<boolean> {
    if (previous.resourceVersion !== this.stored.resourceVersion) return false;
    this.version++;
    this.stored = { material, resourceVersion: String(this.version), exists: true };
    return true;
  }
  async publish(_targets: unknown, bundle: string): Promise<string[]> {
    this.published.push(bundle);
    return [];
  }
}

function manager(store: MaterialStore, served: string[]): SelfManagedCerts {
  return new SelfManagedCerts({
    store,
    targets: {},
    hosts: ['wh.kubeless.svc'],
    commonName: 'wh.kubeless.svc',
    lifetimeMs: 3_600_000,
    rotateAt: 0.667,
    propagationDelayMs: 0,
    checkIntervalMs: 600_000,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    onMaterial: (m) => served.push(m.tlsCert),
  });
}

test('a forced rotation that arrives during a routine check is not absorbed by it', async () => {
  const store = new MemoryStore();
  const served: string[] = [];
  const m = manager(store, served);
  await m.reconcile();
  expect(served).toHaveLength(1);
  // A routine check is in flight (it will decide "keep") when two rotations are asked for.
  const routine = m.reconcile();
  await Promise.all([routine, m.reconcile('first'), m.reconcile('second')]);
  m.stop();
  expect(served).toHaveLength(3);
  expect(new Set(served).size).toBe(3);
  // Every CA issued so far is still trusted: none has expired.
  const stored = await store.read();
  expect(splitPem(stored.material!.caBundle)).toHaveLength(3);
  // Six key pairs are generated: seconds on a loaded machine.
}, 60_000);
