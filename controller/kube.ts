import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { PooledKubeConfig } from '../lib/k8s/agent-pool.js';

export interface Clients {
  kc: KubeConfig;
  objects: KubernetesObjectApi;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  coordination: CoordinationV1Api;
}

/**
 * `--kubeconfig` wins; otherwise KUBECONFIG, ~/.kube/config or the in-cluster service account.
 * Every client and watch shares keep-alive connections (see agent-pool.ts for why).
 */
export function makeClients(kubeconfig?: string): Clients {
  const kc: KubeConfig = new PooledKubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault();
  return {
    kc,
    objects: KubernetesObjectApi.makeApiClient(kc),
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    coordination: kc.makeApiClient(CoordinationV1Api),
  };
}

export { describeError, statusCode } from '../lib/k8s/errors.js';
