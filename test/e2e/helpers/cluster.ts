// Where the test control plane is and how to reach it, as recorded by test/cluster/up.sh.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const stateDir = process.env.KUBELESS_E2E_DIR ?? join(repoRoot, '.e2e');
export const clusterScripts = join(repoRoot, 'test/cluster');
/** The admin kubeconfig (user kubernetes-admin, group system:masters). */
export const kubeconfigPath = join(stateDir, 'kubeconfig');
export const clusterInfoPath = join(stateDir, 'cluster.json');

export interface ClusterInfo {
  /** `netns`: the control plane runs in its own network namespace; `loopback`: on 127.0.0.1. */
  mode: 'netns' | 'loopback';
  /** The namespace's name in netns mode, for `ip netns exec`. */
  netns: string | null;
  /** kube-apiserver's URL as seen from the host. */
  server: string;
  /**
   * The host's address as seen from kube-apiserver. A test server that the apiserver must call
   * (a webhook, an aggregated API server) listens here; 127.0.0.1 in loopback mode.
   */
  hostAddress: string;
  /** The control plane's own address (inside the namespace in netns mode). */
  clusterAddress: string;
  serviceCIDR: string;
  kubeconfig: string;
  /** Directories of the built binaries (kubectl, helm, etcd ...), for PATH. */
  path: string[];
  kubernetesVersion: string;
}

export function readClusterInfo(): ClusterInfo {
  let text: string;
  try {
    text = readFileSync(clusterInfoPath, 'utf8');
  } catch (err) {
    throw new Error(
      `no test control plane is recorded at ${clusterInfoPath} (${(err as Error).message}); ` +
        'run the suite with npm run test:e2e, or start one with npm run cluster:up',
    );
  }
  return JSON.parse(text) as ClusterInfo;
}

/** Environment for child processes: the built binaries first on PATH, the admin kubeconfig. */
export function clusterEnv(info: ClusterInfo = readClusterInfo()): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: [...info.path, process.env.PATH ?? ''].join(':'),
    KUBECONFIG: info.kubeconfig,
  };
}

/**
 * argv that runs `argv` in the control plane's network: prefixed with `ip netns exec <ns>` in
 * netns mode. Use it to start a server on a Service ClusterIP (add the address to `lo` first, see
 * docs/testing.md) that kube-apiserver then reaches as it would in a real cluster.
 */
export function inClusterNetwork(argv: string[], info: ClusterInfo = readClusterInfo()): string[] {
  return info.mode === 'netns' && info.netns ? ['ip', 'netns', 'exec', info.netns, ...argv] : argv;
}

/**
 * Makes `ip` (a Service's ClusterIP) a real address inside the control plane's namespace, on its
 * loopback. The host routes the service CIDR into the namespace, so a server started there with
 * inClusterNetwork() on that address is reachable from the host and from kube-apiserver. netns
 * mode only: in loopback mode there is no namespace to put it in.
 */
export function addClusterIPAddress(ip: string, info: ClusterInfo = readClusterInfo()): void {
  if (info.mode !== 'netns' || !info.netns) {
    throw new Error('ClusterIP addresses need the netns mode (unset KUBELESS_E2E_NETWORK=loopback)');
  }
  const r = spawnSync('ip', ['netns', 'exec', info.netns, 'ip', 'addr', 'replace', `${ip}/32`, 'dev', 'lo'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`could not add ${ip} in namespace ${info.netns}: ${r.stderr.trim()}`);
}
