import {
  ApiException,
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

/** The HTTP status of a failed API call, or undefined for network errors. */
export function statusCode(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (err !== null && typeof err === 'object') {
    const code =
      (err as { code?: unknown; statusCode?: unknown }).statusCode ?? (err as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** A one-line description of an API error: the server's Status message when there is one. */
export function describeError(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    if (typeof body === 'string') {
      try {
        const parsed = JSON.parse(body) as { message?: string };
        if (parsed.message) return `${err.code}: ${parsed.message}`;
      } catch {
        return `${err.code}: ${body.slice(0, 300)}`;
      }
    }
    if (body !== null && typeof body === 'object' && 'message' in body) {
      return `${err.code}: ${String((body as { message: unknown }).message)}`;
    }
    return `${err.code}: ${err.message.slice(0, 300)}`;
  }
  return err instanceof Error ? err.message : String(err);
}
