// Reading kubeconfig files the way kubectl does, without @kubernetes/client-node: that library
// takes most of a second to load, which every command would pay before its first request. It is
// still used (cli/kube/config-client-node.ts) for what needs its code: exec and auth-provider
// credentials, and proxies. Pure: file texts in, the chosen context out.
import path from 'node:path';
// js-yaml rather than the project's `yaml`: it loads in about a quarter of the time, and every
// command that talks to the API parses a kubeconfig first.
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { CliError } from '../errors.js';

export interface ClusterConfig {
  server: string;
  certificateAuthority?: string;
  certificateAuthorityData?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface UserConfig {
  clientCertificate?: string;
  clientCertificateData?: string;
  clientKey?: string;
  clientKeyData?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  as?: string;
  asUid?: string;
  asGroups?: string[];
  asUserExtra?: Record<string, string[]>;
  /** Credentials only client-node knows how to get (a plugin command, an OIDC or cloud provider). */
  plugin?: 'exec' | 'auth-provider';
}

export interface ContextConfig {
  cluster: string;
  user: string;
  namespace?: string;
}

export interface Kubeconfig {
  currentContext?: string;
  clusters: Map<string, ClusterConfig>;
  users: Map<string, UserConfig>;
  contexts: Map<string, ContextConfig>;
}

export interface SelectedContext {
  contextName: string;
  namespace?: string;
  cluster: ClusterConfig;
  user: UserConfig;
}

type Raw = Record<string, unknown>;

const rec = (v: unknown): Raw | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** File paths in a kubeconfig are relative to the file that holds them. */
function fileIn(dir: string, v: unknown): string | undefined {
  const p = str(v);
  return p === undefined ? undefined : path.resolve(dir, p);
}

function named(list: unknown): [string, Raw][] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const r = rec(item);
    const name = str(r?.name);
    return name === undefined ? [] : [[name, r!]];
  });
}

function clusterOf(raw: Raw, dir: string): ClusterConfig {
  const c = rec(raw.cluster) ?? {};
  return {
    server: str(c.server) ?? '',
    certificateAuthority: fileIn(dir, c['certificate-authority']),
    certificateAuthorityData: str(c['certificate-authority-data']),
    insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: str(c['tls-server-name']),
    proxyUrl: str(c['proxy-url']),
  };
}

function userOf(raw: Raw, dir: string): UserConfig {
  const u = rec(raw.user) ?? {};
  const extra = rec(u['as-user-extra']);
  return {
    clientCertificate: fileIn(dir, u['client-certificate']),
    clientCertificateData: str(u['client-certificate-data']),
    clientKey: fileIn(dir, u['client-key']),
    clientKeyData: str(u['client-key-data']),
    token: str(u.token),
    tokenFile: fileIn(dir, u.tokenFile),
    username: str(u.username),
    password: str(u.password),
    as: str(u.as),
    asUid: str(u['as-uid']),
    asGroups: Array.isArray(u['as-groups']) ? u['as-groups'].filter((g) => typeof g === 'string') : undefined,
    asUserExtra: extra
      ? Object.fromEntries(
          Object.entries(extra).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]]),
        )
      : undefined,
    plugin: rec(u.exec) ? 'exec' : rec(u['auth-provider']) ? 'auth-provider' : undefined,
  };
}

/**
 * Merges kubeconfig files as kubectl merges the KUBECONFIG list: for clusters, users and contexts
 * the first file to name one wins, and so does the first current-context.
 */
export function mergeKubeconfigs(files: { path: string; text: string }[]): Kubeconfig {
  const merged: Kubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    let doc: Raw;
    try {
      doc = rec(load(file.text, { schema: CORE_SCHEMA, filename: file.path })) ?? {};
    } catch (err) {
      // js-yaml's message quotes the lines around the fault; one line is what a CLI error gets.
      const why =
        err instanceof YAMLException
          ? `${err.reason} at line ${err.mark.line + 1}, column ${err.mark.column + 1}`
          : String(err);
      throw new CliError(
        `cannot read kubeconfig ${file.path}: ${why}; fix the file or point --kubeconfig elsewhere`,
      );
    }
    const dir = path.dirname(file.path);
    merged.currentContext ??= str(doc['current-context']);
    for (const [name, raw] of named(doc.clusters)) {
      if (!merged.clusters.has(name)) merged.clusters.set(name, clusterOf(raw, dir));
    }
    for (const [name, raw] of named(doc.users)) {
      if (!merged.users.has(name)) merged.users.set(name, userOf(raw, dir));
    }
    for (const [name, raw] of named(doc.contexts)) {
      const c = rec(raw.context) ?? {};
      if (!merged.contexts.has(name)) {
        merged.contexts.set(name, {
          cluster: str(c.cluster) ?? '',
          user: str(c.user) ?? '',
          namespace: str(c.namespace),
        });
      }
    }
  }
  return merged;
}

/** The context to use (`--context`, else current-context) with its cluster and user. */
export function selectContext(config: Kubeconfig, wanted: string | undefined): SelectedContext {
  const known = [...config.contexts.keys()];
  const name = wanted ?? config.currentContext;
  if (name === undefined) {
    throw new CliError(
      `your kubeconfig has no current-context; pass --context (known contexts: ${known.length ? known.join(', ') : '(none)'})`,
    );
  }
  const context = config.contexts.get(name);
  if (!context) {
    throw new CliError(
      `context "${name}" is not in your kubeconfig; known contexts: ${known.length ? known.join(', ') : '(none)'}`,
    );
  }
  const cluster = config.clusters.get(context.cluster);
  if (!cluster || cluster.server === '') {
    throw new CliError(
      `kubeconfig context "${name}" names no known cluster; fix the context or choose another with --context`,
    );
  }
  // A context without a user (or naming an unknown one) connects anonymously, as kubectl does.
  return {
    contextName: name,
    namespace: context.namespace,
    cluster,
    user: config.users.get(context.user) ?? {},
  };
}

/** Whether the context needs client-node's code to connect (plugins, proxies). */
export function needsClientNode(selected: SelectedContext): boolean {
  return selected.user.plugin !== undefined || selected.cluster.proxyUrl !== undefined;
}
