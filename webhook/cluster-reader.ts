import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { isApiError } from '../lib/certs/kube.js';
import { GROUP, VERSION } from '../lib/types.js';
import type { ClusterReader, HTTPTriggerRef } from './cluster-checks.js';
import { routeOf } from './cluster-checks.js';

interface ListOf {
  items?: { metadata?: { namespace?: string } }[];
}

/** Reads the cluster through the Kubernetes API with the webhook's service account. */
export function kubeClusterReader(kc: KubeConfig): ClusterReader {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  return {
    async secretExists(namespace, name) {
      try {
        // Only metadata matters; a get is one round trip and RBAC can grant get on secrets narrowly.
        await core.readNamespacedSecret({ name, namespace });
        return true;
      } catch (err) {
        if (isApiError(err, 404)) return false;
        throw new Error(`looking up Secret ${namespace}/${name}: ${String(err)}`, { cause: err });
      }
    },
    async httpTriggers(): Promise<HTTPTriggerRef[]> {
      const list = (await custom.listClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural: 'httptriggers',
      })) as ListOf;
      return (list.items ?? []).map((item) =>
        routeOf(item.metadata?.namespace ?? '', item as Record<string, unknown>),
      );
    },
  };
}
