// Discovery documents for subresources.kubeless.io/v1 and the OpenAPI documents from openapi/.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SUBRESOURCE_API_VERSION as GV, SUBRESOURCE_GROUP, SUBRESOURCE_VERSION } from '../lib/types.js';

function groupDoc(): Record<string, unknown> {
  return {
    name: SUBRESOURCE_GROUP,
    versions: [{ groupVersion: GV, version: SUBRESOURCE_VERSION }],
    preferredVersion: { groupVersion: GV, version: SUBRESOURCE_VERSION },
  };
}

export function apiGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [groupDoc()] };
}

export function apiGroup(): Record<string, unknown> {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc() };
}

export function apiResourceList(): Record<string, unknown> {
  const sub = (name: string, verbs: string[]): Record<string, unknown> => ({
    name: `functions/${name}`,
    singularName: '',
    namespaced: true,
    kind: name === 'invoke' ? 'Invocation' : 'FunctionLog',
    verbs,
  });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: GV,
    resources: [
      // The parent, with no verbs of its own, so that RESTMappers know `functions` in this group:
      // `kubectl auth can-i create functions.subresources.kubeless.io --subresource=invoke` then
      // asks about this group instead of warning that the type does not exist. Plain `functions`
      // and `fn` still resolve to kubeless.io, whose groupPriorityMinimum is higher (ADR 0009).
      { name: 'functions', singularName: 'function', namespaced: true, kind: 'Function', verbs: [] },
      sub('invoke', ['create', 'get', 'update', 'patch', 'delete']),
      sub('log', ['get']),
      sub('logs', ['get']),
    ],
  };
}

export interface OpenApiDocs {
  v3: Record<string, unknown>;
  v2: Record<string, unknown>;
}

/**
 * The v3 document is ours as written; the v2 one is a minimal Swagger 2.0 rendering of its paths
 * so kube-apiserver's aggregated /openapi/v2 has something valid to merge.
 */
export function loadOpenApi(file: string): OpenApiDocs {
  const v3 = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const info = (v3.info as Record<string, unknown> | undefined) ?? {
    title: GV,
    version: SUBRESOURCE_VERSION,
  };
  const paths: Record<string, unknown> = {};
  for (const [p, item] of Object.entries(
    (v3.paths as Record<string, Record<string, unknown>> | undefined) ?? {},
  )) {
    const ops: Record<string, unknown> = {};
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method)) continue;
      const o = op as Record<string, unknown>;
      ops[method] = {
        operationId: o.operationId,
        description: o.description ?? o.summary ?? '',
        responses: { '200': { description: 'OK' } },
      };
    }
    paths[p] = ops;
  }
  return { v3, v2: { swagger: '2.0', info, paths } };
}
