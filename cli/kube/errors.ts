import { isKubeStatus, type KubeStatus } from './types.js';

/** What the CLI was doing when the API said no; used to phrase the fix. */
export interface RequestContext {
  verb: string;
  /** Lower-case singular kind as the user types it, e.g. `function`. */
  kind?: string;
  name?: string;
  namespace?: string;
  /** Kubeconfig context name, for authentication hints. */
  contextName?: string;
}

const MAX_BODY_IN_MESSAGE = 300;

function quoteName(ctx: RequestContext): string {
  return ctx.name ? `${ctx.kind ?? 'object'} "${ctx.name}"` : `${ctx.kind ?? 'object'}s`;
}

function inNamespace(ctx: RequestContext): string {
  return ctx.namespace ? ` in namespace "${ctx.namespace}"` : '';
}

function nsFlag(ctx: RequestContext): string {
  return ctx.namespace ? ` -n ${ctx.namespace}` : '';
}

function causesText(status: KubeStatus): string {
  const causes = status.details?.causes ?? [];
  if (causes.length === 0) return status.message ?? 'the object is invalid';
  return causes
    .map((c) => `${c.field ?? '(object)'}: ${c.message ?? c.reason ?? c.type ?? 'invalid'}`)
    .join('; ');
}

/**
 * Turns a Kubernetes `Status` (or a bare HTTP code when the body was not one) into one line for a
 * human: what failed, and the command or setting that fixes it.
 */
export function statusToMessage(code: number, body: unknown, ctx: RequestContext): string {
  const status: KubeStatus | undefined = isKubeStatus(body) ? body : undefined;
  const effective = status?.code ?? code;
  const serverMsg =
    status?.message ?? (typeof body === 'string' ? body.slice(0, MAX_BODY_IN_MESSAGE).trim() : '');
  const what = quoteName(ctx);
  switch (effective) {
    case 400:
      return `cannot ${ctx.verb} ${what}: bad request: ${serverMsg || 'the server rejected the request'}`;
    case 401:
      return (
        `cannot ${ctx.verb} ${what}: unauthorized (401): ${serverMsg || 'no valid credentials'}; ` +
        `check the user of context "${ctx.contextName ?? 'current'}" in your kubeconfig (token or client certificate)`
      );
    case 403:
      return (
        `cannot ${ctx.verb} ${what}: forbidden (403): ${serverMsg || 'access denied'}; ` +
        `ask your cluster admin for RBAC permission, or use another --context`
      );
    case 404:
      // A Status naming the object means the object is missing; without a name the whole
      // resource type is unknown to the server, which means Kubeless is not installed there.
      if (ctx.name && (status?.details?.name === ctx.name || status?.reason === 'NotFound')) {
        return (
          `${what} not found${inNamespace(ctx)}; ` +
          `list them with \`kubeless function list${nsFlag(ctx)}\` (or --all-namespaces)`
        );
      }
      return (
        `cannot ${ctx.verb} ${what}: the server does not serve this API (404${serverMsg ? `: ${serverMsg}` : ''}); ` +
        'is Kubeless installed? start the local platform with `npm start`, or check your kubeconfig'
      );
    case 409:
      if (status?.reason === 'AlreadyExists') {
        return (
          `${what} already exists${inNamespace(ctx)}; ` +
          `change it with \`kubeless function update ${ctx.name ?? '<name>'}${nsFlag(ctx)}\` or delete it first`
        );
      }
      return `cannot ${ctx.verb} ${what}: it was changed by someone else (409 conflict); run the command again`;
    case 422:
      return `${what} is invalid: ${causesText(status ?? { kind: 'Status' })}; fix these fields and retry`;
    case 429:
      return `cannot ${ctx.verb} ${what}: the server is throttling requests (429); wait a moment and retry`;
    case 503:
      return (
        `cannot ${ctx.verb} ${what}: service unavailable (503): ${serverMsg || 'not ready'}; ` +
        `check \`kubeless function describe ${ctx.name ?? '<name>'}${nsFlag(ctx)}\``
      );
    case 504:
    case 408:
      return `cannot ${ctx.verb} ${what}: timed out (${effective}): ${serverMsg || 'no answer in time'}`;
    default:
      return `cannot ${ctx.verb} ${what}: HTTP ${effective}${serverMsg ? `: ${serverMsg}` : ''}`;
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Turns a socket-level failure (the request never got an HTTP answer) into a fix. */
export function connectionErrorMessage(err: unknown, server: string): string {
  const code = (err as { code?: unknown } | null)?.code;
  const text = err instanceof Error ? err.message : String(err);
  if (code === 'ECONNREFUSED') {
    return (
      `cannot reach the Kubernetes API at ${server} (connection refused): is the local platform running? ` +
      'start it with `npm start`, or check your kubeconfig (--kubeconfig, KUBECONFIG, --context)'
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `cannot resolve the host of ${server}: check the server address of your kubeconfig context`;
  }
  if (code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === 'ERR_KUBELESS_TIMEOUT') {
    return `no answer from the Kubernetes API at ${server} (${String(code)}): check the server is up and reachable, or raise --request-timeout`;
  }
  if (
    typeof code === 'string' &&
    (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))
  ) {
    return (
      `TLS handshake with ${server} failed (${code}: ${text}): check certificate-authority(-data) and the ` +
      'client certificate of your kubeconfig, and that the server address uses the right scheme (http/https)'
    );
  }
  return `request to ${server} failed: ${text}${typeof code === 'string' ? ` (${code})` : ''}`;
}
