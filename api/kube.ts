// The thin Kubernetes edge of the API server: SubjectAccessReviews, Functions, Services, pod logs
// and the front-proxy configuration, all through @kubernetes/client-node.
import type { Writable } from 'node:stream';
import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  Log,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { AccessReviewSpec, Decision } from './authz.js';
import type { FrontProxyConfig } from './authn.js';
import type { LogQuery } from './logs.js';
import { functionPorts, type FunctionPorts } from '../lib/function/ports.js';
import { GROUP, VERSION, type FunctionSpec, type FunctionStatus, type ObjectMeta } from '../lib/types.js';
import { timeoutSecondsOf } from '../lib/function/timeout.js';

export interface FunctionInfo {
  /** spec.timeout in seconds, defaulted by lib/function/timeout.ts. */
  timeoutSeconds: number;
  /** From spec.service.ports (lib/function/ports.ts); 8080 when absent. */
  ports?: FunctionPorts;
  /**
   * Changes when the Function's pods are replaced or finish being replaced (its generation, the
   * generation the controller observed, and its Ready condition): kept sockets must not outlive it.
   */
  rollout?: string;
}

/** A Function as read from the API, every part optional (lib/types.ts is the one model). */
type StoredFunction = {
  metadata?: Pick<ObjectMeta, 'generation'>;
  spec?: Partial<FunctionSpec>;
  status?: FunctionStatus;
};

/** The rollout identity of FunctionInfo.rollout. */
export function rolloutOf(fn: StoredFunction): string {
  const ready = fn.status?.conditions?.find((c) => c.type === 'Ready');
  return [
    fn.metadata?.generation ?? '',
    fn.status?.observedGeneration ?? '',
    ready?.status ?? '',
    ready?.reason ?? '',
    ready?.lastTransitionTime ?? '',
  ].join('/');
}

export interface PodRef {
  pod: string;
  containers: string[];
}

export interface Cluster {
  review(spec: AccessReviewSpec): Promise<Decision>;
  getFunction(namespace: string, name: string): Promise<FunctionInfo | undefined>;
  serviceClusterIP(namespace: string, name: string): Promise<string | undefined>;
  /**
   * The first ready endpoint of the Service (what kube-apiserver's aggregator routing does), at the
   * port named `portName` (the function's; lib/function/ports.ts), else the first.
   */
  serviceEndpoint(
    namespace: string,
    name: string,
    portName?: string,
  ): Promise<{ host: string; port: number } | undefined>;
  functionPods(namespace: string, name: string): Promise<PodRef[]>;
  podLog(
    namespace: string,
    ref: { pod: string; container: string },
    q: LogQuery,
    out: Writable,
  ): Promise<AbortController>;
  frontProxyConfig(): Promise<FrontProxyConfig>;
}

function jsonList(v: string | undefined): string[] {
  if (!v) return [];
  const parsed: unknown = JSON.parse(v);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

export function kubeCluster(kc: KubeConfig): Cluster {
  const authz = kc.makeApiClient(AuthorizationV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const log = new Log(kc);
  return {
    async review(spec) {
      const res = await authz.createSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user: spec.user,
            groups: spec.groups,
            extra: spec.extra,
            resourceAttributes: spec.resourceAttributes,
          },
        },
      });
      return { allowed: res.status?.allowed === true, reason: res.status?.reason ?? '' };
    },
    async getFunction(namespace, name) {
      try {
        const fn = (await custom.getNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural: 'functions',
          name,
        })) as StoredFunction;
        return {
          timeoutSeconds: timeoutSecondsOf(fn.spec?.timeout),
          ports: functionPorts(fn.spec),
          rollout: rolloutOf(fn),
        };
      } catch (err) {
        if (err instanceof ApiException && err.code === 404) return undefined;
        throw err;
      }
    },
    async serviceClusterIP(namespace, name) {
      try {
        const svc = await core.readNamespacedService({ namespace, name });
        const ip = svc.spec?.clusterIP;
        return ip && ip !== 'None' ? ip : undefined;
      } catch (err) {
        if (err instanceof ApiException && err.code === 404) return undefined;
        throw err;
      }
    },
    async serviceEndpoint(namespace, name, portName) {
      const slices = await discovery.listNamespacedEndpointSlice({
        namespace,
        labelSelector: `kubernetes.io/service-name=${name}`,
      });
      for (const slice of slices.items) {
        // A slice's port is the Service port's targetPort, under the Service port's name.
        const withPort = (slice.ports ?? []).filter((p) => p.port !== undefined);
        const port = (withPort.find((p) => (p.name ?? '') === portName) ?? withPort[0])?.port;
        const ready = slice.endpoints.find((e) => e.conditions?.ready !== false && e.addresses.length > 0);
        if (port !== undefined && ready?.addresses[0]) return { host: ready.addresses[0], port };
      }
      return undefined;
    },
    async functionPods(namespace, name) {
      const list = await core.listNamespacedPod({ namespace, labelSelector: `function=${name}` });
      return list.items
        .filter((p) => p.metadata?.name)
        .map((p) => ({
          pod: p.metadata?.name ?? '',
          containers: (p.spec?.containers ?? []).map((c) => c.name),
        }));
    },
    podLog(namespace, ref, q, out) {
      return log.log(namespace, ref.pod, ref.container, out, {
        follow: q.follow,
        timestamps: q.timestamps,
        ...(q.tailLines === undefined ? {} : { tailLines: q.tailLines }),
        ...(q.sinceSeconds === undefined ? {} : { sinceSeconds: q.sinceSeconds }),
        ...(q.limitBytes === undefined ? {} : { limitBytes: q.limitBytes }),
      });
    },
    async frontProxyConfig() {
      const cm = await core.readNamespacedConfigMap({
        namespace: 'kube-system',
        name: 'extension-apiserver-authentication',
      });
      const d = cm.data ?? {};
      const ca = d['requestheader-client-ca-file'];
      if (!ca) {
        throw new Error(
          'kube-system/extension-apiserver-authentication has no requestheader-client-ca-file; start kube-apiserver with --requestheader-client-ca-file',
        );
      }
      return {
        clientCA: ca,
        allowedNames: jsonList(d['requestheader-allowed-names']),
        usernameHeaders: jsonList(d['requestheader-username-headers']),
        groupHeaders: jsonList(d['requestheader-group-headers']),
        extraHeaderPrefixes: jsonList(d['requestheader-extra-headers-prefix']),
      };
    },
  };
}
