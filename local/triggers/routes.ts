// Which HTTPTrigger a gateway request belongs to, with the matching rules of a Kubernetes
// Ingress (host, then `Prefix` path), so that a trigger routes the same locally and on a cluster.
// Pure.
import { normalisePath } from '../../controller/triggers/ingress.js';
import type { HTTPTrigger } from '../../lib/types.js';

export interface Route {
  namespace: string;
  trigger: string;
  functionName: string;
  /** Lower-case host name, `*.example.com`, or undefined for any host. */
  host: string | undefined;
  /** Normalised prefix: leading slash, no trailing slash except for the root. */
  path: string;
  /** Tie-breaker between equal routes: the older trigger keeps its traffic. */
  created: string;
}

export function routeOf(t: HTTPTrigger): Route {
  const host = t.spec['host-name'];
  const path = normalisePath(t.spec.path);
  return {
    namespace: t.metadata.namespace ?? 'default',
    trigger: t.metadata.name ?? '',
    functionName: t.spec['function-name'],
    host: host ? host.toLowerCase() : undefined,
    path: path.length > 1 ? path.replace(/\/+$/, '') || '/' : path,
    created: t.metadata.creationTimestamp ?? '',
  };
}

/** The Host header without its port, lower-case (IPv6 literals keep their brackets). */
export function hostOf(header: string | undefined): string {
  if (!header) return '';
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/**
 * How specifically a route's host matches: 2 exact, 1 wildcard (`*.example.com` covers exactly
 * one more label, as in an Ingress), 0 a route for any host, -1 no match.
 */
export function hostScore(pattern: string | undefined, host: string): number {
  if (pattern === undefined) return 0;
  if (pattern === host) return 2;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    const label = host.slice(0, host.length - suffix.length);
    return host.endsWith(suffix) && label !== '' && !label.includes('.') ? 1 : -1;
  }
  return -1;
}

/** Ingress `Prefix` matching: whole path elements, so `/foo` takes `/foo/bar` but not `/foobar`. */
export function pathMatches(prefix: string, path: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * The route for a request: the most specific host first, then the longest path (an ingress
 * controller picks the virtual host, then its longest location), then the oldest trigger.
 */
export function matchRoute(
  routes: readonly Route[],
  hostHeader: string | undefined,
  url: string,
): Route | undefined {
  const host = hostOf(hostHeader);
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  let best: { route: Route; score: number } | undefined;
  for (const route of routes) {
    const score = hostScore(route.host, host);
    if (score < 0 || !pathMatches(route.path, path)) continue;
    if (!best || better(route, score, best.route, best.score)) best = { route, score };
  }
  return best?.route;
}

function better(a: Route, aScore: number, b: Route, bScore: number): boolean {
  if (aScore !== bScore) return aScore > bScore;
  if (a.path.length !== b.path.length) return a.path.length > b.path.length;
  if (a.created !== b.created) return a.created < b.created;
  return `${a.namespace}/${a.trigger}` < `${b.namespace}/${b.trigger}`;
}

/** What the 404 says: what was asked for, and what would have matched. */
export function noRouteMessage(
  routes: readonly Route[],
  hostHeader: string | undefined,
  url: string,
): string {
  const host = hostOf(hostHeader);
  const path = url.split('?')[0] ?? url;
  const known = routes
    .slice(0, 10)
    .map((r) => `${r.host ?? '*'}${r.path} (${r.namespace}/${r.trigger})`)
    .join(', ');
  return (
    `no HTTPTrigger matches host "${host}" and path "${path}"; ` +
    (known
      ? `routes: ${known}${routes.length > 10 ? ', ...' : ''}`
      : 'there are no HTTPTriggers yet; create one with kubeless trigger http create NAME --function-name FN --path /PATH')
  );
}
