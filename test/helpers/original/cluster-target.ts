// The real-node cluster as a Target: this checkout's CLI and the cluster's kubectl with its admin
// kubeconfig, and `kubectl proxy` to reach a function's Service as the Makefiles' curl did.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubectlProxy } from '../../e2e/helpers/kubectl-proxy.js';
import { exec, type Target } from './target.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ClusterTargetOptions {
  /** PATH and KUBECONFIG of the cluster (clusterEnv of its cluster.json). */
  env: NodeJS.ProcessEnv;
  /** The host's address as the cluster's pods see it. */
  hostAddress: string;
  kafkaBrokers?: string;
}

export function clusterTarget(o: ClusterTargetOptions): Target {
  const env = { ...o.env, ...(o.kafkaBrokers ? { KAFKA_BROKERS: o.kafkaBrokers } : {}) };
  const bin = path.join(ROOT, 'bin/kubeless.js');
  return {
    kind: 'cluster',
    fileHost: o.hostAddress,
    kafkaBrokers: o.kafkaBrokers,
    kubeless: (args, timeoutMs = 60_000) => exec(process.execPath, [bin, ...args], env, timeoutMs),
    kubectl: (args, timeoutMs = 60_000) => exec('kubectl', args, env, timeoutMs),
    async functionUrl(namespace, name) {
      const proxy = await kubectlProxy(env);
      return {
        url: `${proxy.base}/api/v1/namespaces/${namespace}/services/${name}:http-function-port/proxy/`,
        done: proxy.stop,
      };
    },
  };
}
