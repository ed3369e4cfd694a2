import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Agent } from 'node:http';
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { namespaceProblem } from '../../lib/k8s/names.js';
import { CliError } from '../errors.js';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
export const LOCAL_PLATFORM = 'http://127.0.0.1:8080';

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
  connection(): Promise<{ agent?: Agent; headers: Record<string, string> }>;
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

function flattenHeaders(headers: RequestOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

export async function loadKubeTarget(opts: KubeTargetOptions): Promise<KubeTarget> {
  // Imported lazily: the library takes ~0.5 s to load and `kubeless --help` should not pay it.
  const { KubeConfig: KubeConfigClass } = await import('@kubernetes/client-node');
  const kc: KubeConfig = new KubeConfigClass();
  try {
    if (opts.kubeconfig) {
      if (!existsSync(opts.kubeconfig)) {
        throw new CliError(
          `kubeconfig file "${opts.kubeconfig}" does not exist: pass an existing file to --kubeconfig`,
        );
      }
      kc.loadFromFile(opts.kubeconfig);
    } else if (
      process.env.KUBECONFIG ||
      existsSync(join(homedir(), '.kube', 'config')) ||
      existsSync(SERVICE_ACCOUNT_TOKEN)
    ) {
      kc.loadFromDefault();
    } else {
      // No kubeconfig at all: the local platform's address (kubectl's own fallback is
      // localhost:8080, which may resolve to ::1 while the platform listens on 127.0.0.1).
      kc.loadFromClusterAndUser(
        { name: 'local', server: LOCAL_PLATFORM, skipTLSVerify: true },
        { name: 'local' },
      );
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    const source = opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
    throw new CliError(
      `cannot read kubeconfig ${source}: ${err instanceof Error ? err.message : String(err)}; fix the file or point --kubeconfig elsewhere`,
    );
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new CliError(
        `context "${opts.context}" is not in your kubeconfig; known contexts: ${known.length ? known.join(', ') : '(none)'}`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  const contextName = kc.getCurrentContext();
  const context = kc.getContextObject(contextName);
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new CliError(
      `kubeconfig context "${contextName}" names no known cluster; fix the context or choose another with --context`,
    );
  }
  const namespace = resolveNamespace(opts.namespace, context?.namespace);
  // client-node refuses plain http unless skipTLSVerify is set; over http there is no TLS to
  // verify, so the flag is meaningless there and setting it lets us reuse its credential logic.
  let effective = kc;
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    effective = new KubeConfigClass();
    effective.loadFromOptions({
      clusters: kc.getClusters().map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c)),
      users: kc.getUsers(),
      contexts: kc.getContexts(),
      currentContext: contextName,
    });
  }
  return {
    server: cluster.server.replace(/\/+$/, ''),
    contextName,
    namespace,
    async connection() {
      const options: RequestOptions = {};
      await effective.applyToHTTPSOptions(options);
      const headers = flattenHeaders(options.headers);
      if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
      return { agent: options.agent as Agent | undefined, headers };
    },
  };
}
