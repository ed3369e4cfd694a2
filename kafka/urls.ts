import type { FunctionRef, UrlResolver } from './types.js';

/** The function's Service, as the controller names it (port 8080, `http-function-port`). */
export function serviceUrlResolver(clusterDomain = 'cluster.local'): UrlResolver {
  return (fn: FunctionRef) => `http://${fn.name}.${fn.namespace}.svc.${clusterDomain}:8080/`;
}

/** A template with `{namespace}` and `{name}`, e.g. `http://127.0.0.1:8080/fn/{namespace}/{name}`. */
export function templateUrlResolver(template: string): UrlResolver {
  if (!template.includes('{name}')) {
    throw new Error(
      `--function-url ${JSON.stringify(template)} must contain {name} (and usually {namespace})`,
    );
  }
  new URL(template.replaceAll('{namespace}', 'ns').replaceAll('{name}', 'fn'));
  return (fn: FunctionRef) =>
    template
      .replaceAll('{namespace}', encodeURIComponent(fn.namespace))
      .replaceAll('{name}', encodeURIComponent(fn.name));
}
