import { resourcePath, subresourcePath } from '../../lib/k8s/kubeless-paths.js';

export { subresourcePath };

export function functionsPath(namespace: string | undefined): string {
  return resourcePath('functions', namespace);
}

export function functionPath(namespace: string, name: string): string {
  return resourcePath('functions', namespace, name);
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
