import {
  AdmissionregistrationV1Api,
  ApiException,
  ApiregistrationV1Api,
  CoreV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { CertMaterial } from './bundle.js';
import { mergeBundle } from './bundle.js';
import { materialFromSecretData, materialToSecretData } from './secret.js';

/** Where the CA bundle must be published; every name is optional so each component lists its own. */
export interface CaBundleTargets {
  mutatingWebhookConfigurations?: string[];
  validatingWebhookConfigurations?: string[];
  apiServices?: string[];
}

export interface StoredMaterial {
  material: CertMaterial | undefined;
  resourceVersion: string | undefined;
  exists: boolean;
}

export function isApiError(err: unknown, code: number): boolean {
  return err instanceof ApiException && err.code === code;
}

/** The thin Kubernetes edge of certificate management: one Secret, and the objects that carry a caBundle. */
export class CertStore {
  private readonly core: CoreV1Api;
  private readonly admission: AdmissionregistrationV1Api;
  private readonly registration: ApiregistrationV1Api;

  constructor(
    kc: KubeConfig,
    readonly namespace: string,
    readonly secretName: string,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.admission = kc.makeApiClient(AdmissionregistrationV1Api);
    this.registration = kc.makeApiClient(ApiregistrationV1Api);
  }

  async read(): Promise<StoredMaterial> {
    try {
      const s = await this.core.readNamespacedSecret({ name: this.secretName, namespace: this.namespace });
      return {
        material: materialFromSecretData(s.data),
        resourceVersion: s.metadata?.resourceVersion,
        exists: true,
      };
    } catch (err) {
      if (isApiError(err, 404)) return { material: undefined, resourceVersion: undefined, exists: false };
      throw new Error(`reading Secret ${this.namespace}/${this.secretName}: ${String(err)}`, { cause: err });
    }
  }

  /**
   * Writes the material guarded by resourceVersion; returns false when another writer got there first
   * (the caller re-reads and adopts what is stored instead of overwriting it).
   */
  async write(material: CertMaterial, previous: StoredMaterial): Promise<boolean> {
    const body = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: {
        name: this.secretName,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'kubeless' },
        ...(previous.resourceVersion ? { resourceVersion: previous.resourceVersion } : {}),
      },
      data: materialToSecretData(material),
    };
    try {
      if (previous.exists) {
        await this.core.replaceNamespacedSecret({ name: this.secretName, namespace: this.namespace, body });
      } else {
        await this.core.createNamespacedSecret({ namespace: this.namespace, body });
      }
      return true;
    } catch (err) {
      if (isApiError(err, 409)) return false;
      throw new Error(`writing Secret ${this.namespace}/${this.secretName}: ${String(err)}`, { cause: err });
    }
  }

  /**
   * Adds `bundle` to the caBundle of every target, keeping what is already there until it expires.
   * Merging instead of replacing means two replicas rotating at once can never remove each other's CA.
   * Missing targets are reported, not fatal: the chart may not have created them yet.
   */
  async publish(targets: CaBundleTargets, bundle: string, now: Date): Promise<string[]> {
    const missing: string[] = [];
    const merged = (current: string | undefined): string =>
      Buffer.from(
        mergeBundle([bundle, current ? Buffer.from(current, 'base64').toString('utf8') : ''], now),
      ).toString('base64');
    for (const name of targets.mutatingWebhookConfigurations ?? []) {
      await this.retryOnConflict(async () => {
        const obj = await this.admission.readMutatingWebhookConfiguration({ name });
        for (const w of obj.webhooks ?? []) w.clientConfig.caBundle = merged(w.clientConfig.caBundle);
        await this.admission.replaceMutatingWebhookConfiguration({ name, body: obj });
      }, `MutatingWebhookConfiguration ${name}`).catch((err: unknown) => this.notFound(err, missing, name));
    }
    for (const name of targets.validatingWebhookConfigurations ?? []) {
      await this.retryOnConflict(async () => {
        const obj = await this.admission.readValidatingWebhookConfiguration({ name });
        for (const w of obj.webhooks ?? []) w.clientConfig.caBundle = merged(w.clientConfig.caBundle);
        await this.admission.replaceValidatingWebhookConfiguration({ name, body: obj });
      }, `ValidatingWebhookConfiguration ${name}`).catch((err: unknown) => this.notFound(err, missing, name));
    }
    for (const name of targets.apiServices ?? []) {
      await this.retryOnConflict(async () => {
        const obj = await this.registration.readAPIService({ name });
        if (obj.spec) obj.spec.caBundle = merged(obj.spec.caBundle);
        await this.registration.replaceAPIService({ name, body: obj });
      }, `APIService ${name}`).catch((err: unknown) => this.notFound(err, missing, name));
    }
    return missing;
  }

  private notFound(err: unknown, missing: string[], name: string): void {
    const cause = err instanceof Error ? err.cause : undefined;
    if (isApiError(cause, 404)) missing.push(name);
    else throw err;
  }

  private async retryOnConflict(fn: () => Promise<void>, what: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await fn();
        return;
      } catch (err) {
        if (isApiError(err, 409) && attempt < 5) continue;
        throw new Error(`updating caBundle of ${what}: ${String(err)}`, { cause: err });
      }
    }
  }
}
