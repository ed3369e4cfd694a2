// Pure request decisions shared by the aggregated API server and the local platform: which
// subresource a path names, and which RBAC attributes it is authorised against.
import { isDns1123Label, isDns1123Subdomain } from '../lib/k8s/names.js';
import { badRequestStatus, statusFailure, type Status } from '../lib/k8s/status.js';
import { SUBRESOURCE_API_VERSION, SUBRESOURCE_GROUP, SUBRESOURCE_VERSION } from '../lib/types.js';

export const SUBRESOURCE_PREFIX = `/apis/${SUBRESOURCE_API_VERSION}`;

export type Subresource = 'invoke' | 'log' | 'logs';

export interface SubresourceRequest {
  namespace: string;
  name: string;
  subresource: Subresource;
  /** For invoke: the rest of the path after `/invoke`, always starting with `/`. */
  path: string;
}

/**
 * Parses `/apis/subresources.kubeless.io/v1/namespaces/{ns}/functions/{name}/{sub}[/{path}]`.
 * Returns undefined when the path is not a subresource path at all (the caller answers 404),
 * a Status when it is one but malformed. The namespace must be a DNS-1123 label and the name a
 * DNS-1123 subdomain (lib/k8s/names.ts): anything else cannot exist, so it is refused before it
 * reaches a Service host name, a label selector or a SubjectAccessReview.
 */
export function parseSubresourcePath(pathname: string): SubresourceRequest | Status | undefined {
  if (!pathname.startsWith(`${SUBRESOURCE_PREFIX}/namespaces/`)) return undefined;
  const parts = pathname.slice(SUBRESOURCE_PREFIX.length + 1).split('/');
  // namespaces, ns, functions, name, sub, ...rest
  if (parts.length < 5 || parts[2] !== 'functions') return undefined;
  const [, rawNs, , rawName, sub] = parts as [string, string, string, string, string];
  let namespace: string;
  let name: string;
  try {
    namespace = decodeURIComponent(rawNs);
    name = decodeURIComponent(rawName);
  } catch {
    return badRequestStatus(`malformed escape in path ${pathname}`);
  }
  if (!isDns1123Label(namespace)) {
    return badRequestStatus(`invalid namespace "${namespace}": must be a DNS-1123 label`);
  }
  if (!isDns1123Subdomain(name)) {
    return badRequestStatus(`invalid function name "${name}": must be a DNS-1123 subdomain`);
  }
  if (sub !== 'invoke' && sub !== 'log' && sub !== 'logs') {
    return statusFailure(
      404,
      'NotFound',
      `the server could not find the requested resource: functions/${sub} (use invoke, log or logs)`,
    );
  }
  const rest = parts.slice(5);
  if (sub !== 'invoke' && rest.length > 0 && !(rest.length === 1 && rest[0] === '')) {
    return statusFailure(404, 'NotFound', `functions/${sub} has no sub-path; drop "/${rest.join('/')}"`);
  }
  return { namespace, name, subresource: sub, path: `/${rest.join('/')}` };
}

const VERBS: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  OPTIONS: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** The RBAC verb kube-apiserver would use for the method; unknown methods fall back to the lowercased name. */
export function verbForMethod(method: string): string {
  return VERBS[method.toUpperCase()] ?? method.toLowerCase();
}

export interface ResourceAttributes {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  verb: string;
  namespace: string;
  name: string;
}

export function resourceAttributes(req: SubresourceRequest, method: string): ResourceAttributes {
  return {
    group: SUBRESOURCE_GROUP,
    version: SUBRESOURCE_VERSION,
    resource: 'functions',
    subresource: req.subresource,
    verb: verbForMethod(method),
    namespace: req.namespace,
    name: req.name,
  };
}

/** Paths every authenticated caller may read without a SubjectAccessReview. */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === '/healthz' ||
    pathname === '/readyz' ||
    pathname === '/livez' ||
    pathname === '/metrics' ||
    pathname === '/apis' ||
    pathname === `/apis/${SUBRESOURCE_GROUP}` ||
    pathname === SUBRESOURCE_PREFIX ||
    pathname === '/openapi/v2' ||
    pathname.startsWith('/openapi/v3')
  );
}
