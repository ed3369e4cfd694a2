// The paths the invoke bench drives, named once for both of its clusters (host processes on the
// shared control plane, pods on the real-node cluster), and the per-hop arithmetic over them.
import type { Summary, Target } from './load.js';

export const AGGREGATED = 'aggregated';
export const SERVICE_PROXY = 'service proxy';
/** `kubeless api` called the way kube-apiserver calls it, without kube-apiserver in front. */
export const API_DIRECT = 'kubeless api';
export const DIRECT = 'direct';

export interface BenchSetup {
  /** One line on what runs where, printed with the figures. */
  where: string;
  targets: Target[];
  tearDown(): Promise<void>;
}

const BODY = JSON.stringify({ hello: 'world', n: 42 });

type Tls = Target['tls'];

/** The two paths through kube-apiserver and the direct call, for a function `name` in `ns`. */
export function pathTargets(
  server: string,
  ns: string,
  name: string,
  admin: Tls,
  functionUrl: string,
): Target[] {
  return [
    {
      label: AGGREGATED,
      url: `${server}/apis/subresources.kubeless.io/v1/namespaces/${ns}/functions/${name}/invoke`,
      tls: admin,
      body: BODY,
    },
    {
      label: SERVICE_PROXY,
      url: `${server}/api/v1/namespaces/${ns}/services/${name}:8080/proxy/`,
      tls: admin,
      body: BODY,
    },
    { label: DIRECT, url: functionUrl, tls: {}, body: BODY },
  ];
}

/**
 * `kubeless api` at `base` with the front proxy's client certificate: kube-apiserver's aggregation
 * hop taken out, everything else of the aggregated path (authn, the cached SubjectAccessReview,
 * the Function and Service lookups, the proxy to the function) kept.
 */
export function apiDirectTarget(base: string, ns: string, name: string, frontProxy: Tls): Target {
  return {
    label: API_DIRECT,
    url: `${base}/apis/subresources.kubeless.io/v1/namespaces/${ns}/functions/${name}/invoke`,
    tls: frontProxy,
    // What kube-apiserver sends for the admin kubeconfig's user.
    headers: { 'X-Remote-User': 'kubernetes-admin', 'X-Remote-Group': 'system:masters' },
    body: BODY,
  };
}

export interface Hop {
  hop: string;
  /** Median milliseconds this hop adds to a call (the function's own: the whole direct call). */
  ms: number;
}

/**
 * What each hop of the aggregated path adds at one connection, from the medians of the paths that
 * differ by that hop alone: function = direct; `kubeless api` = api-direct - direct;
 * kube-apiserver = aggregated - api-direct. Medians do not subtract exactly, so a hop can come
 * out slightly negative on a noisy run; it is printed as measured.
 */
export function hops(byLabel: Map<string, Summary>): Hop[] {
  const p50 = (label: string): number => {
    const s = byLabel.get(label);
    if (!s) throw new Error(`no figures for the ${label} path`);
    return s.p50;
  };
  return [
    {
      hop: 'kube-apiserver (aggregation: authn, authz, proxy to kubeless api)',
      ms: p50(AGGREGATED) - p50(API_DIRECT),
    },
    {
      hop: 'kubeless api (authn, SubjectAccessReview cache, lookups, proxy)',
      ms: p50(API_DIRECT) - p50(DIRECT),
    },
    { hop: 'function (runtime, network to its pod)', ms: p50(DIRECT) },
  ];
}
