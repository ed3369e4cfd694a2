// The faults the scenarios inject into the real-node cluster: a container killed with SIGKILL
// through the node's containerd (a crash: no SIGTERM, no preStop, no lease release), a pod
// deleted, and a control-plane or node process stopped and started again (real-node.sh stop|start).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realNodeScript, realNodeStateDir } from '../../e2e/helpers/real-node.js';
import { getJson, kubeRequest } from './kube.js';

function exec(cmd: string, args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

interface PodStatusView {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  status?: {
    phase?: string;
    podIP?: string;
    containerStatuses?: { name: string; containerID?: string; restartCount: number; ready: boolean }[];
  };
}

export function podPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${namespace}/pods/${name}`;
}

export async function readPod(namespace: string, name: string): Promise<PodStatusView> {
  return getJson<PodStatusView>(podPath(namespace, name));
}

/** Pods of a namespace matching a label selector, e.g. `app.kubernetes.io/component=api`. */
export async function listPods(namespace: string, selector: string): Promise<PodStatusView[]> {
  const list = await getJson<{ items: PodStatusView[] }>(
    `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`,
  );
  return list.items;
}

function containerdAddress(): string {
  const node = JSON.parse(readFileSync(join(realNodeStateDir, 'node.json'), 'utf8')) as {
    containerdAddress: string;
  };
  return node.containerdAddress;
}

/** SIGKILLs a pod's container through containerd, as a crash would; kubelet restarts it. */
export async function killContainer(namespace: string, pod: string, container?: string): Promise<void> {
  const status = (await readPod(namespace, pod)).status?.containerStatuses ?? [];
  const c = container ? status.find((s) => s.name === container) : status[0];
  const id = c?.containerID?.replace(/^containerd:\/\//, '');
  if (!id) throw new Error(`pod ${namespace}/${pod} has no running container ${container ?? ''} to kill`);
  await exec('ctr', [
    '--address',
    containerdAddress(),
    '--namespace',
    'k8s.io',
    'tasks',
    'kill',
    '--signal',
    'SIGKILL',
    id,
  ]);
}

/** Deletes a pod the ordinary way (SIGTERM, preStop, grace period); its ReplicaSet makes another. */
export async function deletePod(namespace: string, pod: string): Promise<void> {
  const a = await kubeRequest('DELETE', podPath(namespace, pod));
  if (a.status !== 200 && a.status !== 404)
    throw new Error(`deleting pod ${namespace}/${pod}: ${a.status} ${a.body}`);
}

/** Stops one process of the cluster (etcd, kube-apiserver, containerd ...) with SIGTERM or SIGKILL. */
export async function stopComponent(name: string, signal: 'TERM' | 'KILL' = 'TERM'): Promise<void> {
  await exec('bash', [realNodeScript, 'stop', name, signal]);
}

/** Starts it again with the command line it was started with. */
export async function startComponent(name: string): Promise<void> {
  await exec('bash', [realNodeScript, 'start', name]);
}

/** The holder of the controller's leader Lease (its identity is its pod name), if any. */
export async function leaseHolder(
  namespace = 'kubeless',
  name = 'kubeless-controller',
): Promise<{ holder: string; renewTime: string; transitions: number } | undefined> {
  const a = await kubeRequest('GET', `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${name}`);
  if (a.status !== 200) return undefined;
  const spec = (
    JSON.parse(a.body) as {
      spec?: { holderIdentity?: string; renewTime?: string; leaseTransitions?: number };
    }
  ).spec;
  if (!spec?.holderIdentity) return undefined;
  return {
    holder: spec.holderIdentity,
    renewTime: spec.renewTime ?? '',
    transitions: spec.leaseTransitions ?? 0,
  };
}

/** The host pid of a pod's container (its main process), read from containerd while it runs. */
export async function containerPid(namespace: string, pod: string, container?: string): Promise<number> {
  const status = (await readPod(namespace, pod)).status?.containerStatuses ?? [];
  const c = container ? status.find((s) => s.name === container) : status[0];
  const id = c?.containerID?.replace(/^containerd:\/\//, '');
  if (!id) throw new Error(`pod ${namespace}/${pod} has no running container ${container ?? ''}`);
  const tasks = await exec('ctr', ['--address', containerdAddress(), '--namespace', 'k8s.io', 'tasks', 'ls']);
  const line = tasks.split('\n').find((l) => l.startsWith(id));
  const pid = Number(line?.trim().split(/\s+/)[1]);
  if (!Number.isInteger(pid) || pid <= 0)
    throw new Error(`containerd lists no task for ${namespace}/${pod} (${id})`);
  return pid;
}
