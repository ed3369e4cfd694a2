import { API_VERSION, type HTTPTrigger, type HTTPTriggerSpec } from '../../lib/types.js';

export interface HttpTriggerFlags {
  functionName?: string;
  hostname?: string;
  path?: string;
  gateway?: string;
  tls?: boolean;
  tlsSecret?: string;
  basicAuthSecret?: string;
  corsEnable?: boolean;
}

const GATEWAYS = ['nginx', 'traefik', 'kong'] as const;

/** Only the flags that were given, under the original Kubeless field names (so `update` patches just those). */
export function httpSpecFromFlags(flags: HttpTriggerFlags): Partial<HTTPTriggerSpec> {
  const spec: Partial<HTTPTriggerSpec> = {};
  if (flags.functionName !== undefined) spec['function-name'] = flags.functionName;
  if (flags.hostname !== undefined) spec['host-name'] = flags.hostname;
  if (flags.path !== undefined) spec.path = flags.path.startsWith('/') ? flags.path : `/${flags.path}`;
  if (flags.gateway !== undefined) {
    const g = GATEWAYS.find((x) => x === flags.gateway);
    if (!g)
      throw new Error(
        `--gateway ${JSON.stringify(flags.gateway)} is not supported: choose ${GATEWAYS.join(', ')}`,
      );
    spec.gateway = g;
  }
  if (flags.tls !== undefined) spec.tls = flags.tls;
  if (flags.tlsSecret !== undefined) spec['tls-secret'] = flags.tlsSecret;
  if (flags.basicAuthSecret !== undefined) spec['basic-auth-secret'] = flags.basicAuthSecret;
  if (flags.corsEnable !== undefined) spec['cors-enable'] = flags.corsEnable;
  return spec;
}

export function httpTriggerObject(name: string, namespace: string, flags: HttpTriggerFlags): HTTPTrigger {
  const spec = httpSpecFromFlags(flags);
  const fn = spec['function-name'];
  if (!fn) throw new Error('--function-name is required: name the Function this trigger exposes');
  if (spec.tls && spec['tls-secret'])
    throw new Error('give either --enable-tls (ACME) or --tls-secret, not both');
  return {
    apiVersion: API_VERSION,
    kind: 'HTTPTrigger',
    metadata: { name, namespace },
    spec: { ...spec, 'function-name': fn },
  };
}
