// The cluster with one real node (test/cluster/real-node.sh): whether this machine can run it,
// starting and stopping it, and running its kubectl/helm. It is a cluster of its own, apart from
// the shared control plane the other suites use (see docs/adr, real test node).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clusterEnv, repoRoot, type ClusterInfo } from './cluster.js';
import { run, type RunOptions, type RunResult } from './kubectl.js';
import { waitFor } from './wait.js';

export const realNodeScript = join(repoRoot, 'test/cluster/real-node.sh');
export const realNodeStateDir = process.env.KUBELESS_NODE_E2E_DIR ?? join(repoRoot, '.e2e/real-node');

export interface MachineFacts {
  /** process.getuid() */
  uid: number | undefined;
  /** KUBELESS_E2E_REAL_NODE: "1" requires the suite (a missing prerequisite fails it), "0" skips it. */
  flag: string | undefined;
  /** Commands the node needs that are not on PATH. */
  missingCommands: string[];
  /** /sys/fs/cgroup/memory exists: the node is configured for cgroup v1 with cgroupfs. */
  cgroupV1: boolean;
  /** kubelet, kube-proxy and CoreDNS are built and a base root filesystem is cached. */
  cacheWarm: boolean;
}

export type Decision = { run: true } | { run: false; why: string; fail: boolean };

/**
 * Whether the real-node suite runs here. It needs root, cgroup v1 and Debian's containerd, runc,
 * CNI plugins, buildah and debootstrap. Without KUBELESS_E2E_REAL_NODE it runs where those are
 * present and the node's builds are cached: the first build (kubelet, CoreDNS, root filesystems,
 * about 10 minutes on 2 cores after the control plane) is
 * started on purpose (CI does), with KUBELESS_E2E_REAL_NODE=1 (which also turns a missing
 * prerequisite into a failure rather than a skip). KUBELESS_E2E_REAL_NODE=0 skips it.
 */
export function decideRealNode(f: MachineFacts): Decision {
  if (f.flag === '0') return { run: false, why: 'KUBELESS_E2E_REAL_NODE=0', fail: false };
  const fail = f.flag === '1';
  if (f.uid !== 0) return { run: false, why: 'it needs root (containerd, cgroups, iptables)', fail };
  if (f.missingCommands.length > 0) {
    return {
      run: false,
      why:
        `${f.missingCommands.join(', ')} not installed (fix: apt-get install -y containerd runc ` +
        'containernetworking-plugins buildah debootstrap iptables conntrack)',
      fail,
    };
  }
  if (!f.cgroupV1) {
    return { run: false, why: 'the node is set up for cgroup v1 and this machine has none', fail };
  }
  if (!fail && !f.cacheWarm) {
    return {
      run: false,
      why:
        'the node is not built yet (about 10 minutes the first time); build it and run the suite once ' +
        'with KUBELESS_E2E_REAL_NODE=1, later runs include it',
      fail: false,
    };
  }
  return { run: true };
}

/** How long `real-node.sh up` may take: a cold machine builds kubelet, CoreDNS and images first. */
export const REAL_NODE_UP_MS = 50 * 60_000;

/**
 * decideRealNode for this machine, said on stderr when a suite is skipped; with
 * KUBELESS_E2E_REAL_NODE=1 a reason not to run is an error instead.
 */
export function realNodeDecision(suite: string): Decision {
  const decision = decideRealNode(machineFacts());
  if (!decision.run) {
    process.stderr.write(`[e2e] ${suite} skipped: ${decision.why}\n`);
    if (decision.fail) throw new Error(`KUBELESS_E2E_REAL_NODE=1 but ${decision.why}`);
  }
  return decision;
}

const needed = ['containerd', 'ctr', 'runc', 'buildah', 'debootstrap', 'iptables', 'conntrack', 'nsenter'];

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, cmd)));
}

function nodeCacheWarm(): boolean {
  const cache = process.env.KUBELESS_CACHE ?? join(homedir(), '.cache/kubeless');
  const versions = readFileSync(join(repoRoot, 'test/cluster/versions.env'), 'utf8');
  const version = (name: string): string => new RegExp(`^${name}=(\\S+)`, 'm').exec(versions)?.[1] ?? '';
  return (
    existsSync(join(cache, `bin/kubernetes-node-${version('KUBERNETES_VERSION')}/.stamp`)) &&
    existsSync(join(cache, `bin/coredns-${version('COREDNS_VERSION')}/.stamp`)) &&
    existsSync(join(cache, 'images/rootfs/node-base.tar'))
  );
}

export function machineFacts(): MachineFacts {
  return {
    uid: process.getuid?.(),
    flag: process.env.KUBELESS_E2E_REAL_NODE,
    missingCommands: needed
      .filter((c) => !onPath(c))
      .concat(existsSync('/usr/lib/cni/bridge') ? [] : ['CNI plugins']),
    cgroupV1: existsSync('/sys/fs/cgroup/memory/cgroup.procs'),
    cacheWarm: nodeCacheWarm(),
  };
}

/**
 * Runs real-node.sh up|down; its progress goes to stderr (a cold first run builds for a long
 * time). Rejects with the exit code; the script's own messages say what failed and the fix.
 */
export function realNode(action: 'up' | 'down', timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [realNodeScript, action], { stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(`test/cluster/real-node.sh ${action} failed (${code ?? signal}); its messages are above`),
        );
    });
  });
}

export function realNodeInfo(): ClusterInfo {
  return JSON.parse(readFileSync(join(realNodeStateDir, 'cluster.json'), 'utf8')) as ClusterInfo;
}

/** Runs kubectl, helm ... against the real-node cluster; resolves whatever the exit code. */
export function runOnNode(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run(cmd, args, { ...opts, env: clusterEnv(realNodeInfo()) });
}

/** Like runOnNode, but rejects with the command and its output unless it exits 0. */
export async function runOnNodeOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await runOnNode(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}

/** kubectl on the real-node cluster (2 minutes at most); the result whatever the exit code. */
export function nodeKubectl(args: string[], input?: string): Promise<RunResult> {
  return runOnNode('kubectl', args, { input, timeoutMs: 120_000 });
}

/** Like nodeKubectl, but rejects with the command and its output unless it exits 0. */
export function nodeKubectlOk(args: string[], input?: string): Promise<string> {
  return runOnNodeOk('kubectl', args, { input, timeoutMs: 120_000 });
}

/** The admin client certificate and the cluster CA, for a client that calls the apiserver itself. */
export function adminTls(): { ca: Buffer; cert: Buffer; key: Buffer } {
  const pki = join(realNodeStateDir, 'pki');
  return {
    ca: readFileSync(join(pki, 'ca.crt')),
    cert: readFileSync(join(pki, 'admin.crt')),
    key: readFileSync(join(pki, 'admin.key')),
  };
}

/**
 * Installs the chart into namespace kubeless (upgrade --install: a cluster kept up between runs
 * with KUBELESS_E2E_KEEP_REAL_NODE=1 has it already; the images were imported into containerd by
 * real-node.sh, there is no registry), then waits for the aggregated API to be Available.
 */
export async function installKubelessChart(extraSets: string[] = []): Promise<void> {
  await runOnNodeOk(
    'helm',
    [
      'upgrade',
      '--install',
      'kubeless',
      join(repoRoot, 'charts/kubeless'),
      '-n',
      'kubeless',
      '--create-namespace',
      '--set',
      'image.pullPolicy=Never',
      ...extraSets.flatMap((s) => ['--set', s]),
      '--wait',
      '--timeout',
      '5m',
    ],
    { timeoutMs: 330_000 },
  );
  await waitFor(
    'APIService v1.subresources.kubeless.io Available',
    async () => {
      const r = await runOnNode('kubectl', [
        'get',
        'apiservice',
        'v1.subresources.kubeless.io',
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Available")].status}',
      ]);
      return r.stdout === 'True';
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
}
