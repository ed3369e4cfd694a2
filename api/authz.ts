// Authorisation: one SubjectAccessReview per (identity, attributes), cached briefly and bounded.
import type { Identity } from './headers.js';
import type { ResourceAttributes } from './request.js';

export interface Decision {
  allowed: boolean;
  reason: string;
}

export interface AccessReviewSpec {
  user: string;
  groups: string[];
  extra: Record<string, string[]>;
  resourceAttributes: ResourceAttributes;
}

/** Sends a SubjectAccessReview (authorization.k8s.io/v1) and returns its status. */
export type AccessReviewer = (spec: AccessReviewSpec) => Promise<Decision>;

export function reviewSpec(id: Identity, attrs: ResourceAttributes): AccessReviewSpec {
  return { user: id.user, groups: id.groups, extra: id.extra, resourceAttributes: attrs };
}

/** A stable key: groups and extras sorted, so the same caller always hits the same entry. */
export function cacheKey(spec: AccessReviewSpec): string {
  const extra = Object.keys(spec.extra)
    .sort()
    .map((k) => [k, [...(spec.extra[k] ?? [])].sort()]);
  const a = spec.resourceAttributes;
  return JSON.stringify([
    spec.user,
    [...spec.groups].sort(),
    extra,
    a.verb,
    a.namespace,
    a.name,
    a.resource,
    a.subresource,
  ]);
}

export interface CacheOptions {
  allowedTtlMs: number;
  deniedTtlMs: number;
  maxEntries: number;
  now?: () => number;
}

export class CachedAuthorizer {
  private readonly entries = new Map<string, { decision: Decision; expires: number }>();
  private readonly now: () => number;

  constructor(
    private readonly review: AccessReviewer,
    private readonly opts: CacheOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  async authorize(spec: AccessReviewSpec): Promise<Decision> {
    const key = cacheKey(spec);
    const hit = this.entries.get(key);
    const t = this.now();
    if (hit && hit.expires > t) return hit.decision;
    if (hit) this.entries.delete(key);
    const decision = await this.review(spec);
    const ttl = decision.allowed ? this.opts.allowedTtlMs : this.opts.deniedTtlMs;
    if (ttl > 0) {
      // Map keeps insertion order, so the first key is the oldest entry.
      while (this.entries.size >= this.opts.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest === undefined) break;
        this.entries.delete(oldest);
      }
      this.entries.set(key, { decision, expires: t + ttl });
    }
    return decision;
  }

  get size(): number {
    return this.entries.size;
  }
}

export function forbiddenMessage(spec: AccessReviewSpec, reason: string): string {
  const a = spec.resourceAttributes;
  return (
    `functions.${a.group} "${a.name}" is forbidden: User "${spec.user}" cannot ${a.verb} resource ` +
    `"functions/${a.subresource}" in API group "${a.group}" in the namespace "${a.namespace}"` +
    `${reason ? `: ${reason}` : ''} (grant it with a Role: apiGroups [${a.group}], resources [functions/${a.subresource}], verbs [${a.verb}])`
  );
}
