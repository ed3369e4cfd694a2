// REST paths of the kubeless.io kinds and the subresources.kubeless.io API, from lib/types.ts's names.
import { API_VERSION, SUBRESOURCE_API_VERSION } from '../types.js';

const seg = encodeURIComponent;

/**
 * `/apis/kubeless.io/v1beta1[/namespaces/{namespace}]/{plural}[/{name}]`: every namespace when
 * `namespace` is undefined. Names are percent-encoded, so no name can climb into another path.
 */
export function resourcePath(plural: string, namespace?: string, name?: string): string {
  const base =
    namespace === undefined
      ? `/apis/${API_VERSION}/${plural}`
      : `/apis/${API_VERSION}/namespaces/${seg(namespace)}/${plural}`;
  return name === undefined ? base : `${base}/${seg(name)}`;
}

/** `/apis/subresources.kubeless.io/v1/namespaces/{namespace}/functions/{name}/{sub}`. */
export function subresourcePath(namespace: string, name: string, sub: 'invoke' | 'log'): string {
  return `/apis/${SUBRESOURCE_API_VERSION}/namespaces/${seg(namespace)}/functions/${seg(name)}/${sub}`;
}
