// Which headers cross the invoke proxy, in both directions. One set of rules for the cluster's
// `kubeless api`, the local platform's invoke subresource and its HTTPTrigger gateway.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { eventTimeFor } from '../function/event-headers.js';
import { SUBRESOURCE_GROUP } from '../types.js';

/** `event-namespace` of a call through the invoke subresource (the event source, as in the original). */
export const INVOKE_EVENT_NAMESPACE = SUBRESOURCE_GROUP;

// Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection, never to the next one; `host`
// names the proxy, not the function.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

// Handled by the proxy's own server (Node answers 100 Continue itself): not passed on.
const REQUEST_ONLY = new Set(['expect']);

export interface HeaderRules {
  /** Lower-case prefixes of the front-proxy identity headers (from the requestheader config). */
  identityPrefixes: string[];
}

export const DEFAULT_HEADER_RULES: HeaderRules = {
  identityPrefixes: ['x-remote-user', 'x-remote-group', 'x-remote-extra-'],
};

/** The caller's credentials and identity stay with us: a function must not replay them. */
export function isPrivateHeader(name: string, rules: HeaderRules = DEFAULT_HEADER_RULES): boolean {
  return isPrivateLowerCase(name.toLowerCase(), rules);
}

/** isPrivateHeader for a name already in lower case (Node's IncomingMessage headers), on every call. */
function isPrivateLowerCase(n: string, rules: HeaderRules): boolean {
  if (n === 'authorization' || n === 'cookie') return true;
  // Every impersonation header (User, Group, Uid, Extra-*, and any Kubernetes adds later).
  if (n.startsWith('impersonate-') || n.startsWith('x-remote-')) return true;
  for (const p of rules.identityPrefixes) if (n.startsWith(p.toLowerCase())) return true;
  return false;
}

/** The header names a Connection header lists: hop-by-hop as well (RFC 9110 7.6.1). */
function connectionNamed(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  const named = new Set<string>();
  for (const part of text.split(',')) {
    const n = part.trim().toLowerCase();
    if (n) named.add(n);
  }
  return named;
}

/** The caller's headers minus hop-by-hop ones and, when `rules` are given, credentials and identity. */
export function endToEndHeaders(
  incoming: IncomingHttpHeaders,
  rules?: HeaderRules,
): Record<string, string | string[]> {
  const named = connectionNamed(incoming.connection);
  const out: Record<string, string | string[]> = {};
  for (const key in incoming) {
    const value = incoming[key];
    if (value === undefined) continue;
    // Node hands IncomingMessage headers over in lower case.
    if (HOP_BY_HOP.has(key) || REQUEST_ONLY.has(key) || named?.has(key)) continue;
    if (rules && isPrivateLowerCase(key, rules)) continue;
    out[key] = value;
  }
  return out;
}

export interface EventContext {
  now: Date;
  newId?: () => string;
}

/**
 * The headers the invoke subresource sends to the function: the caller's, minus credentials,
 * identity and hop-by-hop headers, with the Kubeless event headers filled in when absent.
 */
export function functionRequestHeaders(
  incoming: IncomingHttpHeaders,
  ctx: EventContext,
  rules: HeaderRules = DEFAULT_HEADER_RULES,
): Record<string, string | string[]> {
  const out = endToEndHeaders(incoming, rules);
  // A CloudEvents request carries its own id, time and type; a generated event-* header would
  // win over them in the runtime, which reads event-* first.
  if (out['ce-id'] === undefined) out['event-id'] ??= (ctx.newId ?? randomUUID)();
  if (out['ce-type'] === undefined) out['event-type'] ??= 'application/json';
  // As in the original, event-namespace names the event source (here: the invoke subresource,
  // unless the caller, e.g. `kubeless function call`, names itself), and the time's form follows it.
  out['event-namespace'] ??= INVOKE_EVENT_NAMESPACE;
  const namespace = out['event-namespace'];
  if (out['ce-time'] === undefined && out['event-time'] === undefined) {
    out['event-time'] = eventTimeFor(typeof namespace === 'string' ? namespace : '', ctx.now);
  }
  return out;
}

/**
 * What an ingress adds for the function behind it (the local HTTPTrigger gateway): who called,
 * on which host, port and scheme. Earlier values of a proxy in front are kept, ours appended.
 */
export function addForwardedHeaders(
  headers: Record<string, string | string[]>,
  incoming: IncomingHttpHeaders,
  client: { address: string | undefined; port: number | undefined; encrypted: boolean },
): void {
  const append = (name: string, value: string): void => {
    const prev = headers[name];
    headers[name] = prev === undefined ? value : `${Array.isArray(prev) ? prev.join(', ') : prev}, ${value}`;
  };
  append('x-forwarded-for', client.address ?? '');
  append('x-forwarded-port', String(client.port ?? ''));
  append('x-forwarded-proto', client.encrypted ? 'https' : 'http');
  if (incoming.host !== undefined) headers['x-forwarded-host'] ??= incoming.host;
  // An ingress passes the Host the caller asked for (routing by host needs it downstream too).
  if (incoming.host !== undefined) headers.host = incoming.host;
}

/** The function's answer headers the caller gets: all but the hop-by-hop ones of our connection. */
export function answerHeaders(upstream: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = connectionNamed(upstream.connection);
  const out: OutgoingHttpHeaders = {};
  for (const key in upstream) {
    const value = upstream[key];
    if (value === undefined) continue;
    if (key === 'host' || HOP_BY_HOP.has(key) || named?.has(key)) continue;
    out[key] = value;
  }
  return out;
}
