// `--write-kubeconfig`: adds (or refreshes) a `kubeless-local` cluster, user and context that
// point kubectl and the kubeless CLI at the local platform, keeping every other entry.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

export const CONTEXT = 'kubeless-local';

interface Named {
  name: string;
  [k: string]: unknown;
}

interface KubeConfig {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  'current-context'?: string;
  [k: string]: unknown;
}

function upsert(list: Named[] | undefined, entry: Named): Named[] {
  return [...(list ?? []).filter((e) => e.name !== entry.name), entry];
}

/** Pure merge: the kubeless-local entries replace older ones; current-context only when unset. */
export function mergeKubeconfig(existing: KubeConfig, server: string): KubeConfig {
  const out: KubeConfig = {
    ...existing,
    apiVersion: existing.apiVersion ?? 'v1',
    kind: existing.kind ?? 'Config',
  };
  out.clusters = upsert(existing.clusters, { name: CONTEXT, cluster: { server } });
  out.users = upsert(existing.users, { name: CONTEXT, user: {} });
  out.contexts = upsert(existing.contexts, {
    name: CONTEXT,
    context: { cluster: CONTEXT, user: CONTEXT, namespace: 'default' },
  });
  if (!existing['current-context']) out['current-context'] = CONTEXT;
  return out;
}

export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = env.KUBECONFIG?.split(path.delimiter).find((p) => p !== '');
  return first ?? path.join(os.homedir(), '.kube', 'config');
}

export function writeKubeconfig(file: string, server: string): { current: boolean } {
  let existing: KubeConfig = {};
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    try {
      existing = (YAML.parse(text) as KubeConfig | null) ?? {};
    } catch (err) {
      throw new Error(
        `${file} is not valid YAML (${(err as Error).message}); fix it or pass another path to --write-kubeconfig`,
      );
    }
  }
  const merged = mergeKubeconfig(existing, server);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.kubeless-tmp`;
  writeFileSync(tmp, YAML.stringify(merged), { mode: 0o600 });
  renameSync(tmp, file);
  return { current: merged['current-context'] === CONTEXT };
}
