// The real-node cluster as a Target: this checkout's CLI and the cluster's kubectl with its admin
// kubeconfig, and `kubectl proxy` to reach a function's Service as the Makefiles' curl did.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec, type Target } from './target.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ClusterTargetOptions {
  /** PATH and KUBECONFIG of the cluster (clusterEnv of its cluster.json). */
  env: NodeJS.ProcessEnv;
  /** The host's address as the cluster's pods see it. */
  hostAddress: string;
  kafkaBrokers?: string;
}

/** Starts `kubectl proxy` on a free port; resolves with its URL once it serves. */
function kubectlProxy(env: NodeJS.ProcessEnv): Promise<{ base: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['proxy', '--port=0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`kubectl proxy did not start: ${seen}`));
    }, 30_000);
    const on = (d: Buffer) => {
      seen += d.toString();
      const m = /Starting to serve on ([\d.]+:\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve({ base: `http://${m[1]}`, stop: () => child.kill('SIGTERM') });
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', (code) => reject(new Error(`kubectl proxy exited ${code}: ${seen}`)));
  });
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
