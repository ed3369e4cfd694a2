import type { V1Ingress, V1IngressTLS } from '@kubernetes/client-node';
import type { HTTPTrigger } from '../../lib/types.js';
import { triggerOwnedMeta } from './meta.js';
import { functionPort, type TriggerTarget } from './target.js';

export type Gateway = NonNullable<HTTPTrigger['spec']['gateway']>;

/** Paths always start with a slash; the original Kubeless accepted `hello` for `/hello`. */
export function normalisePath(path: string | undefined): string {
  if (!path) return '/';
  return path.startsWith('/') ? path : `/${path}`;
}

/**
 * Annotations each gateway reads for basic auth, CORS and ACME certificates. The names are the
 * ones those Ingress controllers document; a gateway ignores the others' annotations.
 */
export function gatewayAnnotations(t: HTTPTrigger): Record<string, string> {
  const spec = t.spec;
  const gateway: Gateway = spec.gateway ?? 'nginx';
  const out: Record<string, string> = {};
  const secret = spec['basic-auth-secret'];
  if (gateway === 'nginx') {
    if (secret) {
      out['nginx.ingress.kubernetes.io/auth-type'] = 'basic';
      out['nginx.ingress.kubernetes.io/auth-secret'] = secret;
      out['nginx.ingress.kubernetes.io/auth-realm'] = 'Authentication Required';
    }
    if (spec['cors-enable']) out['nginx.ingress.kubernetes.io/enable-cors'] = 'true';
  } else if (gateway === 'traefik') {
    // Traefik 1.x read these Ingress annotations, as the original Kubeless wrote them.
    if (secret) {
      out['ingress.kubernetes.io/auth-type'] = 'basic';
      out['ingress.kubernetes.io/auth-secret'] = secret;
    }
    if (spec['cors-enable']) out['ingress.kubernetes.io/cors-allow-origin'] = '*';
  } else if (secret) {
    // Kong reads credentials from a KongPlugin/KongConsumer, not from an htpasswd Secret.
    throw new Error(
      `HTTPTrigger ${t.metadata.namespace ?? 'default'}/${t.metadata.name ?? ''}: gateway kong cannot use basic-auth-secret; ` +
        'use gateway nginx or traefik, or drop basic-auth-secret and attach a KongPlugin to the Ingress yourself',
    );
  }
  if (spec.tls && !spec['tls-secret']) {
    out['kubernetes.io/tls-acme'] = 'true';
  }
  return out;
}

function tlsOf(t: HTTPTrigger, name: string): V1IngressTLS[] | undefined {
  const host = t.spec['host-name'];
  const secret = t.spec['tls-secret'] ?? (t.spec.tls ? `${name}-tls` : undefined);
  if (!secret) return undefined;
  return [{ ...(host ? { hosts: [host] } : {}), secretName: secret }];
}

/** The Ingress that routes host + path (prefix match) to the Function's Service port (8080 unless spec.service says otherwise). */
export function desiredIngress(t: HTTPTrigger, fn?: TriggerTarget): V1Ingress {
  const meta = triggerOwnedMeta(t);
  const host = t.spec['host-name'];
  const tls = tlsOf(t, meta.name ?? '');
  const annotations = gatewayAnnotations(t);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { ...meta, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: {
      ingressClassName: t.spec.gateway ?? 'nginx',
      ...(tls ? { tls } : {}),
      rules: [
        {
          ...(host ? { host } : {}),
          http: {
            paths: [
              {
                path: normalisePath(t.spec.path),
                pathType: 'Prefix',
                backend: { service: { name: t.spec['function-name'], port: { number: functionPort(fn) } } },
              },
            ],
          },
        },
      ],
    },
  };
}
