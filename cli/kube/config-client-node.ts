// The slow path of kubeconfig loading: contexts whose credentials need @kubernetes/client-node's
// code (exec plugins, auth providers) or a proxy. Loaded only for them: the library takes most of
// a second to load.
import type { Agent } from 'node:http';
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { CliError } from '../errors.js';
import { resolveNamespace, type KubeTarget, type KubeTargetOptions } from './config.js';

function flattenHeaders(headers: RequestOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** `files` are the kubeconfig files the fast path found (one, or the KUBECONFIG list). */
export async function loadWithClientNode(opts: KubeTargetOptions, files: string[]): Promise<KubeTarget> {
  const { KubeConfig: KubeConfigClass } = await import('@kubernetes/client-node');
  const kc: KubeConfig = new KubeConfigClass();
  try {
    if (files.length === 1) kc.loadFromFile(files[0]!);
    else kc.loadFromDefault();
  } catch (err) {
    throw new CliError(
      `cannot read kubeconfig ${files.join(', ')}: ${err instanceof Error ? err.message : String(err)}; fix the file or point --kubeconfig elsewhere`,
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
