// Where the CLI's requests go and with which credentials, found the way kubectl finds them:
// --kubeconfig, then the KUBECONFIG list, then ~/.kube/config, then the pod's service account;
// with none of them, the local platform.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { namespaceProblem } from '../../lib/k8s/names.js';
import { CliError } from '../errors.js';
import { connectionFor, type Connection } from './credentials.js';
import type { SelectedContext } from './kubeconfig.js';

export const LOCAL_PLATFORM = 'http://127.0.0.1:8080';
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeTargetOptions {
  /** `--kubeconfig`; otherwise `KUBECONFIG`, then `~/.kube/config`, like kubectl. */
  kubeconfig?: string;
  /** `--context`; otherwise the kubeconfig's current-context. */
  context?: string;
  /** `-n/--namespace`; otherwise the context's namespace, then `default`. */
  namespace?: string;
}

/** Where requests go and with which credentials, resolved once per command. */
export interface KubeTarget {
  server: string;
  contextName: string;
  namespace: string;
  /** Agent (TLS material) and headers (bearer token, impersonation) for one request. */
  connection(): Promise<Connection>;
}

/** The namespace precedence kubectl uses: the flag, then the context, then `default`. */
export function resolveNamespace(flag: string | undefined, contextNamespace: string | undefined): string {
  const ns =
    flag !== undefined && flag !== ''
      ? flag
      : contextNamespace && contextNamespace !== ''
        ? contextNamespace
        : 'default';
  // The server refuses it too; saying so here names the flag or the context to fix.
  const problem = namespaceProblem(ns);
  if (problem) {
    const where =
      flag !== undefined && flag !== ''
        ? 'pass another -n/--namespace'
        : 'fix the namespace of the kubeconfig context or pass -n';
    throw new CliError(`${problem}; ${where}`);
  }
  return ns;
}

/** The kubeconfig files in effect, in precedence order; empty when there are none. */
export function kubeconfigFiles(opts: KubeTargetOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) {
      throw new CliError(
        `kubeconfig file "${opts.kubeconfig}" does not exist: pass an existing file to --kubeconfig`,
      );
    }
    return [opts.kubeconfig];
  }
  if (env.KUBECONFIG) {
    const listed = env.KUBECONFIG.split(path.delimiter).filter((f) => f !== '');
    const existing = listed.filter((f) => existsSync(f));
    if (existing.length === 0) {
      throw new CliError(
        `KUBECONFIG names no existing file (${listed.join(path.delimiter)}): fix it, or unset it to use ~/.kube/config or the local platform`,
      );
    }
    return existing;
  }
  const own = path.join(env.HOME || homedir(), '.kube', 'config');
  return existsSync(own) ? [own] : [];
}

function target(selected: SelectedContext, namespaceFlag: string | undefined): KubeTarget {
  return {
    server: selected.cluster.server.replace(/\/+$/, ''),
    contextName: selected.contextName,
    namespace: resolveNamespace(namespaceFlag, selected.namespace),
    connection: connectionFor(selected),
  };
}

/** A pod's own service account, as client-go's in-cluster config reads it. */
function inCluster(env: NodeJS.ProcessEnv): SelectedContext | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const token = path.join(SERVICE_ACCOUNT_DIR, 'token');
  if (!host || !existsSync(token)) return undefined;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  let namespace: string | undefined;
  try {
    namespace = readFileSync(path.join(SERVICE_ACCOUNT_DIR, 'namespace'), 'utf8').trim();
  } catch {
    namespace = undefined;
  }
  return {
    contextName: 'inClusterContext',
    namespace,
    cluster: {
      server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
      certificateAuthority: path.join(SERVICE_ACCOUNT_DIR, 'ca.crt'),
    },
    user: { tokenFile: token },
  };
}

export async function loadKubeTarget(
  opts: KubeTargetOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<KubeTarget> {
  const files = kubeconfigFiles(opts, env);
  if (files.length === 0) {
    const pod = inCluster(env);
    if (pod) return target(pod, opts.namespace);
    if (opts.context) {
      throw new CliError(`context "${opts.context}" is not in your kubeconfig; you have no kubeconfig`);
    }
    // No kubeconfig at all: the local platform's address (kubectl's own fallback is
    // localhost:8080, which may resolve to ::1 while the platform listens on 127.0.0.1).
    return target({ contextName: 'local', cluster: { server: LOCAL_PLATFORM }, user: {} }, opts.namespace);
  }
  const texts = files.map((f) => {
    try {
      return { path: path.resolve(f), text: readFileSync(f, 'utf8') };
    } catch (err) {
      throw new CliError(
        `cannot read kubeconfig ${f}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; fix the file or point --kubeconfig elsewhere`,
      );
    }
  });
  // The YAML parser is loaded only when there is a kubeconfig to read: without one (the local
  // platform's default) a command starts without it.
  const { mergeKubeconfigs, needsClientNode, selectContext } = await import('./kubeconfig.js');
  const selected = selectContext(mergeKubeconfigs(texts), opts.context);
  if (needsClientNode(selected)) {
    const { loadWithClientNode } = await import('./config-client-node.js');
    return loadWithClientNode(opts, files);
  }
  return target(selected, opts.namespace);
}
