// Authentication as an extension API server: the client certificate must chain to the
// requestheader CA and carry an allowed name; only then are the X-Remote-* headers believed.
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import { identityFromHeaders, type Identity, type RequestHeaderConfig } from './headers.js';

export interface FrontProxyConfig extends RequestHeaderConfig {
  clientCA: string;
  /** Empty means any certificate signed by clientCA (kube-apiserver's rule). */
  allowedNames: string[];
}

export type AuthResult = { ok: true; identity: Identity } | { ok: false; message: string };

export function checkPeer(
  authorized: boolean,
  authError: string | undefined,
  commonName: string | undefined,
  headers: Record<string, string[] | undefined>,
  config: FrontProxyConfig,
): AuthResult {
  if (!authorized) {
    return {
      ok: false,
      message: `no valid front-proxy client certificate (${authError ?? 'none sent'}); call through kube-apiserver, e.g. kubectl get --raw`,
    };
  }
  if (config.allowedNames.length > 0 && !config.allowedNames.includes(commonName ?? '')) {
    return {
      ok: false,
      message: `client certificate CN "${commonName ?? ''}" is not in requestheader-allowed-names [${config.allowedNames.join(', ')}]`,
    };
  }
  const identity = identityFromHeaders(headers, config);
  if (!identity) return { ok: false, message: 'the front proxy sent no user header' };
  return { ok: true, identity };
}

export function authenticate(req: IncomingMessage, config: FrontProxyConfig): AuthResult {
  const socket = req.socket as TLSSocket;
  const cert = socket.getPeerCertificate?.();
  const cn = cert && typeof cert.subject?.CN === 'string' ? cert.subject.CN : undefined;
  const err = socket.authorizationError;
  return checkPeer(
    socket.authorized === true,
    err ? String(err) : undefined,
    cn,
    req.headersDistinct,
    config,
  );
}
