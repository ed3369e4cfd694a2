// Counts the list and watch requests Kubeless's components made, from kube-apiserver's audit log
// (real-node.sh starts it with KUBELESS_E2E_AUDIT=lists): after a restart, a component that
// resumes its watches makes watch requests with a resourceVersion; one that relists makes full
// list requests (no resourceVersion), one per cache, which is what costs at scale.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realNodeStateDir } from '../../e2e/helpers/real-node.js';

export interface AuditEvent {
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string };
  objectRef?: { resource?: string };
  responseStatus?: { code?: number };
  stageTimestamp: string;
}

export interface ListWatchCounts {
  /** Full lists (no resourceVersion, or resourceVersion=""), by component and resource. */
  fullLists: Record<string, number>;
  /** Watches started, by component. */
  watches: Record<string, number>;
  /** Watches refused with 410 Gone (a resourceVersion too old: the client must relist). */
  gone: number;
}

/** `system:serviceaccount:kubeless:kubeless-controller` → `kubeless-controller`; others undefined. */
export function kubelessComponent(username: string, namespace = 'kubeless'): string | undefined {
  const prefix = `system:serviceaccount:${namespace}:`;
  return username.startsWith(prefix) ? username.slice(prefix.length) : undefined;
}

function hasResourceVersion(uri: string): boolean {
  const rv = new URL(uri, 'https://x').searchParams.get('resourceVersion');
  return rv !== null && rv !== '';
}

/** Counts, from `sinceMs` on, the lists and watches of the Kubeless service accounts. */
export function countListWatch(events: readonly AuditEvent[], sinceMs: number): ListWatchCounts {
  const counts: ListWatchCounts = { fullLists: {}, watches: {}, gone: 0 };
  for (const e of events) {
    if (Date.parse(e.stageTimestamp) < sinceMs) continue;
    const who = kubelessComponent(e.user.username);
    if (!who) continue;
    if (e.verb === 'list' && e.stage === 'ResponseComplete' && !hasResourceVersion(e.requestURI)) {
      // By path: two caches of one resource (all ConfigMaps, the catalog's namespace) are two lists.
      const key = `${who} ${new URL(e.requestURI, 'https://x').pathname}`;
      counts.fullLists[key] = (counts.fullLists[key] ?? 0) + 1;
    }
    if (e.verb === 'watch' && e.stage === 'ResponseStarted')
      counts.watches[who] = (counts.watches[who] ?? 0) + 1;
    if (e.verb === 'watch' && e.responseStatus?.code === 410) counts.gone++;
  }
  return counts;
}

export function readAudit(): AuditEvent[] {
  const file = join(realNodeStateDir, 'logs/audit.log');
  if (!existsSync(file))
    throw new Error(
      `${file} is missing: start the cluster with real-node.sh (it sets KUBELESS_E2E_AUDIT=lists)`,
    );
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent);
}

export function totalFullLists(c: ListWatchCounts): number {
  return Object.values(c.fullLists).reduce((a, b) => a + b, 0);
}

/**
 * Caches listed more than once: a relist storm (a client that lists again and again, or every
 * replica at once). One list per cache is what any client does when a restarted kube-apiserver's
 * fresh watch cache refuses the resourceVersion it resumes from (410 "too old resource version").
 */
export function repeatedLists(c: ListWatchCounts): string[] {
  return Object.entries(c.fullLists)
    .filter(([, n]) => n > 1)
    .map(([key, n]) => `${key}: ${n}`);
}
