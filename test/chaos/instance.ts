// The chaos scenarios restart etcd, kube-apiserver and containerd and kill Kubeless's pods, so they
// run on a real-node cluster of their own, never on the one test/e2e/real-node.test.ts (and people
// trying Kubeless by hand) use: its own state directory, network namespace, addresses and service
// range. Any KUBELESS_NODE_E2E_* already set wins. Loaded by jest before each chaos test file
// (setupFiles), so test/e2e/helpers/real-node.ts reads these when it loads.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const defaults: Record<string, string> = {
  KUBELESS_NODE_E2E_DIR: join(root, '.e2e/chaos-node'),
  KUBELESS_NODE_E2E_NETNS: 'kubeless-e2e-chaos',
  KUBELESS_NODE_E2E_VETH: 'kle2echaos0',
  KUBELESS_NODE_E2E_HOST_ADDR: '10.224.0.1',
  KUBELESS_NODE_E2E_NS_ADDR: '10.224.0.2',
  KUBELESS_NODE_E2E_SERVICE_CIDR: '10.104.0.0/16',
  KUBELESS_NODE_E2E_KUBERNETES_SVC_IP: '10.104.0.1',
  KUBELESS_NODE_E2E_API_PORT: '18443',
  KUBELESS_NODE_E2E_ETCD_PORT: '24379',
  KUBELESS_NODE_E2E_ETCD_PEER_PORT: '24380',
  KUBELESS_NODE_E2E_KCM_PORT: '22257',
  KUBELESS_NODE_E2E_SCHEDULER_PORT: '22259',
};

for (const [k, v] of Object.entries(defaults)) process.env[k] ??= v;
