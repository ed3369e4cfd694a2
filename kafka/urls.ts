import { functionPorts } from '../lib/function/ports.js';
import type { FunctionRef, FunctionTarget, UrlResolver } from './types.js';

/**
 * The function's Service, as the controller names it, on the port it takes calls on: the
 * Function's spec.service.ports (lib/function/ports.ts), the default when the engine was told none.
 */
export function serviceUrlResolver(clusterDomain = 'cluster.local'): UrlResolver {
  return (fn: FunctionTarget) => {
    const port = fn.servicePort ?? functionPorts(undefined).servicePort;
    return `http://${fn.name}.${fn.namespace}.svc.${clusterDomain}:${port}/`;
  };
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
