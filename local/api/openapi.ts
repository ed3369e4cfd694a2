// OpenAPI v3 discovery (`/openapi/v3` and one document per group/version), served from the
// generated documents, so kubectl can validate and `apply` our kinds.
import { kubelessDocument, subresourcesDocument } from '../../openapi/generated/documents.js';
import { API_VERSION, GROUP, SUBRESOURCE_API_VERSION, VERSION } from '../../lib/types.js';
import { RESOURCES } from './resources.js';

const QUERY = (name: string): Record<string, unknown> => ({
  name,
  in: 'query',
  schema: { type: 'string' },
  uniqueItems: true,
});

/**
 * Operations per kind, each tagged with its group/version/kind and the query parameters we
 * accept: kubectl reads these to find a kind's schema and to learn that `dryRun` and
 * `fieldValidation` are understood (otherwise it refuses to apply).
 */
function kindPaths(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of RESOURCES) {
    const gvk = { group: GROUP, version: VERSION, kind: r.kind };
    const ref = { $ref: `#/components/schemas/${r.kind}` };
    const body = { content: { 'application/json': { schema: ref } } };
    const ok = { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } };
    const op = (action: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: [QUERY('dryRun'), QUERY('fieldManager'), QUERY('fieldValidation')],
      responses: ok,
      ...extra,
    });
    const base = `/apis/${API_VERSION}/namespaces/{namespace}/${r.plural}`;
    paths[base] = { post: op('post', { requestBody: body }), get: op('list') };
    paths[`${base}/{name}`] = {
      get: op('get'),
      put: op('put', { requestBody: body }),
      patch: op('patch', {
        requestBody: { content: { 'application/merge-patch+json': { schema: { type: 'object' } } } },
      }),
      delete: op('delete'),
    };
  }
  return paths;
}

const KUBELESS_WITH_PATHS: Record<string, unknown> = { ...kubelessDocument, paths: kindPaths() };

const DOCS: Record<string, Record<string, unknown>> = {
  [`apis/${API_VERSION}`]: KUBELESS_WITH_PATHS,
  [`apis/${SUBRESOURCE_API_VERSION}`]: subresourcesDocument,
};

export function openapiV3Paths(): Record<string, unknown> {
  return {
    paths: Object.fromEntries(Object.keys(DOCS).map((p) => [p, { serverRelativeURL: `/openapi/v3/${p}` }])),
  };
}

export function openapiV3Document(group: string, version: string): Record<string, unknown> | undefined {
  return DOCS[`apis/${group}/${version}`];
}
