// A process on the host stands in for pods until the test cluster has a node: a Service without a
// selector whose endpoints are that process's address, so kube-apiserver (aggregator routing,
// services/proxy) and our own components reach it the way they would reach pods.
import { createServer, type AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { kubectlOk } from './kubectl.js';

/** A port free on `host` right now (for a server a test is about to start there). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface HostService {
  namespace: string;
  name: string;
  /** The Service's port. */
  port: number;
  /** Where the host process listens. */
  address: string;
  targetPort: number;
  /** A Pod record standing for the host process (see registerHostPod); services/proxy needs one. */
  pod?: string;
}

/**
 * The Service, its EndpointSlice (what the aggregator and our API read) and its v1 Endpoints
 * (what kube-apiserver's services/proxy still resolves through), as one multi-document manifest.
 */
export function hostServiceManifest(s: HostService): string {
  const meta = { name: s.name, namespace: s.namespace };
  const ref = s.pod ? { kind: 'Pod', name: s.pod, namespace: s.namespace } : undefined;
  const objects = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta,
      spec: { ports: [{ name: 'p', port: s.port, targetPort: s.targetPort }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { ...meta, name: `${s.name}-host`, labels: { 'kubernetes.io/service-name': s.name } },
      addressType: 'IPv4',
      endpoints: [
        { addresses: [s.address], conditions: { ready: true }, ...(ref ? { targetRef: ref } : {}) },
      ],
      ports: [{ name: 'p', port: s.targetPort, protocol: 'TCP' }],
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta,
      subsets: [
        {
          addresses: [{ ip: s.address, ...(ref ? { targetRef: ref } : {}) }],
          ports: [{ name: 'p', port: s.targetPort }],
        },
      ],
    },
  ];
  return objects.map((o) => stringify(o)).join('---\n');
}

/**
 * A Pod object whose status claims the host process's address. kube-apiserver's services/proxy
 * only proxies to endpoint addresses that belong to a Pod; with no node, nothing else sets podIP
 * and the scheduler leaves the Pod Pending, which the proxy does not check.
 */
export async function registerHostPod(namespace: string, name: string, address: string): Promise<void> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'kubeless.io/host-process': 'true' } },
    spec: { containers: [{ name: 'host', image: 'host.invalid/none:0' }] },
  };
  await kubectlOk(['apply', '-f', '-'], { input: stringify(pod) });
  const status = { status: { podIP: address, podIPs: [{ ip: address }] } };
  await kubectlOk([
    '-n',
    namespace,
    'patch',
    'pod',
    name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify(status),
  ]);
}
