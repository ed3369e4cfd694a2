import { PatchStrategy, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node';
import { FIELD_MANAGER } from './config.js';
import { statusCode } from './kube.js';
import { isOwnedBy, stamp, upToDate, type Owner } from './ownership.js';

export type ApplyOutcome =
  | { result: 'created' | 'updated' | 'unchanged'; object: KubernetesObject }
  | { result: 'conflict'; object: KubernetesObject };

type Header = { apiVersion: string; kind: string; metadata: { name: string; namespace: string } };

function header(obj: KubernetesObject): Header {
  return {
    apiVersion: obj.apiVersion ?? 'v1',
    kind: obj.kind ?? '',
    metadata: { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace ?? 'default' },
  };
}

/** Makes the cluster hold `desired` for its owner, refusing to touch a same-named object the owner does not own. */
export class Applier {
  constructor(private readonly api: KubernetesObjectApi) {}

  async read(obj: KubernetesObject): Promise<KubernetesObject | undefined> {
    try {
      return await this.api.read(header(obj));
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw err;
    }
  }

  /**
   * `cached` is the informer's copy (label-filtered, so a foreign object with the same name may be
   * missing from it); when absent the server is asked, since apply would otherwise take it over.
   */
  async ensure(
    owner: Owner,
    desired: KubernetesObject,
    cached: KubernetesObject | undefined,
  ): Promise<ApplyOutcome> {
    const existing = cached ?? (await this.read(desired));
    if (existing && !isOwnedBy(existing, owner)) return { result: 'conflict', object: existing };
    const stamped = stamp(desired);
    if (existing && upToDate(existing, stamped)) return { result: 'unchanged', object: existing };
    // Server-side apply owns exactly the fields we declare: fields we stop declaring are removed,
    // and fields other managers set (an HPA's replicas, a mesh's annotations) are left alone.
    const object = await this.api.patch(
      stamped,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
    return { result: existing ? 'updated' : 'created', object };
  }

  async remove(obj: KubernetesObject): Promise<void> {
    try {
      await this.api.delete(header(obj));
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  }
}
