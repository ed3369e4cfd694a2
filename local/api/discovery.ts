// Discovery documents (meta/v1 APIVersions, APIGroupList, APIGroup, APIResourceList), built as
// plain data so kubectl can find our kinds, short names and subresources.
import { apiGroup as subresourceGroup, apiResourceList } from '../../api/discovery.js';
import { API_VERSION, GROUP, SUBRESOURCE_GROUP, SUBRESOURCE_VERSION, VERSION } from '../../lib/types.js';
import { RESOURCES } from './resources.js';

/** subresources.kubeless.io/v1 is described once, by the aggregated API server's own documents. */
export const subresourceResources = apiResourceList;

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function groupOf(name: string, version: string): Record<string, unknown> {
  const gv = { groupVersion: `${name}/${version}`, version };
  return { name, versions: [gv], preferredVersion: gv };
}

/** `/api`: the core group must answer for kubectl to carry on; we serve none of its resources. */
export function coreVersions(): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
  };
}

export function coreResources(): Record<string, unknown> {
  // Only the runtime catalog's ConfigMap is served (local/api/catalog-configmap.ts), read-only.
  const configmaps = {
    name: 'configmaps',
    singularName: 'configmap',
    namespaced: true,
    kind: 'ConfigMap',
    verbs: ['get'],
    shortNames: ['cm'],
  };
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1', resources: [configmaps] };
}

export function groupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [groupOf(GROUP, VERSION), groupOf(SUBRESOURCE_GROUP, SUBRESOURCE_VERSION)],
  };
}

export function apiGroup(name: string): Record<string, unknown> | undefined {
  if (name === GROUP) return { kind: 'APIGroup', apiVersion: 'v1', ...groupOf(GROUP, VERSION) };
  if (name === SUBRESOURCE_GROUP) return subresourceGroup();
  return undefined;
}

export function kubelessResources(): Record<string, unknown> {
  const resources = RESOURCES.flatMap((r) => [
    {
      name: r.plural,
      singularName: r.singular,
      namespaced: true,
      kind: r.kind,
      verbs: VERBS,
      shortNames: r.shortNames,
      categories: ['all', 'kubeless'],
    },
    {
      name: `${r.plural}/status`,
      singularName: '',
      namespaced: true,
      kind: r.kind,
      verbs: ['get', 'patch', 'update'],
    },
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: API_VERSION, resources };
}
