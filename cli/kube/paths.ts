import { FUNCTION_API_VERSION, SUBRESOURCE_API } from './types.js';

const seg = encodeURIComponent;

export function functionsPath(namespace: string | undefined): string {
  return namespace === undefined
    ? `/apis/${FUNCTION_API_VERSION}/functions`
    : `/apis/${FUNCTION_API_VERSION}/namespaces/${seg(namespace)}/functions`;
}

export function functionPath(namespace: string, name: string): string {
  return `${functionsPath(namespace)}/${seg(name)}`;
}

export function subresourcePath(namespace: string, name: string, sub: 'invoke' | 'log'): string {
  return `/apis/${SUBRESOURCE_API}/namespaces/${seg(namespace)}/functions/${seg(name)}/${sub}`;
}

/**
 * The invoke URL for a call with `--path`: the function's own path (and query) is appended after
 * `invoke`. Dot segments are refused because URL normalisation would move the request out of
 * the invoke subresource onto some other API path.
 */
export function invokePath(namespace: string, name: string, path: string | undefined): string {
  const base = subresourcePath(namespace, name, 'invoke');
  if (!path || path === '/') return base;
  const [pathPart = ''] = path.split('?');
  if (pathPart.split('/').some((s) => s === '..' || s === '.')) {
    throw new Error(`invalid --path "${path}": '.' and '..' segments are not allowed`);
  }
  return `${base}/${path.replace(/^\/+/, '')}`;
}
