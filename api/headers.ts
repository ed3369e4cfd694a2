// Which request headers reach a function, and which Kubeless event headers it always gets.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { eventTimeFor } from '../lib/function/event-headers.js';

// Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection, never to the next one.
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

export interface HeaderRules {
  /** Lower-case prefixes of the front-proxy identity headers (from the requestheader config). */
  identityPrefixes: string[];
}

export const DEFAULT_HEADER_RULES: HeaderRules = {
  identityPrefixes: ['x-remote-user', 'x-remote-group', 'x-remote-extra-'],
};

/** The caller's credentials and identity stay with us: a function must not replay them. */
export function isPrivateHeader(name: string, rules: HeaderRules = DEFAULT_HEADER_RULES): boolean {
  const n = name.toLowerCase();
  if (n === 'authorization' || n === 'cookie' || n === 'impersonate-user' || n === 'impersonate-group') {
    return true;
  }
  if (n.startsWith('impersonate-extra-') || n.startsWith('x-remote-')) return true;
  return rules.identityPrefixes.some((p) => n.startsWith(p.toLowerCase()));
}

export interface EventContext {
  now: Date;
  newId?: () => string;
}

/**
 * The headers sent to the function: the caller's, minus credentials, identity and hop-by-hop
 * headers (plus any the Connection header names), with the event headers filled in when absent.
 */
export function functionRequestHeaders(
  incoming: IncomingHttpHeaders,
  ctx: EventContext,
  rules: HeaderRules = DEFAULT_HEADER_RULES,
): Record<string, string | string[]> {
  const named = new Set(
    String(incoming.connection ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    const k = key.toLowerCase();
    if (HOP_BY_HOP.has(k) || named.has(k) || isPrivateHeader(k, rules)) continue;
    out[k] = value;
  }
  // A CloudEvents request carries its own id, time and type; a generated event-* header would
  // win over them in the runtime, which reads event-* first.
  if (out['ce-id'] === undefined) out['event-id'] ??= (ctx.newId ?? randomUUID)();
  if (out['ce-type'] === undefined) out['event-type'] ??= 'application/json';
  // As in the original, event-namespace names the event source (here: the invoke subresource,
  // unless the caller, e.g. `kubeless function call`, names itself).
  out['event-namespace'] ??= 'subresources.kubeless.io';
  const namespace = out['event-namespace'];
  if (out['ce-time'] === undefined && out['event-time'] === undefined) {
    out['event-time'] = eventTimeFor(typeof namespace === 'string' ? namespace : '', ctx.now);
  }
  return out;
}

export interface Identity {
  user: string;
  groups: string[];
  extra: Record<string, string[]>;
}

export interface RequestHeaderConfig {
  usernameHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

/** The user the front proxy vouches for; undefined when no username header is set. */
export function identityFromHeaders(
  headers: Record<string, string[] | undefined>,
  config: RequestHeaderConfig,
): Identity | undefined {
  // Distinct header lines, not Node's comma-joined view: kube-apiserver sends one line per group
  // and per extra value, and a group name may itself contain a comma.
  const lines = (name: string): string[] => headers[name.toLowerCase()] ?? [];
  const user = config.usernameHeaders.map((h) => lines(h)[0]).find((v) => v);
  if (!user) return undefined;
  const groups = config.groupHeaders.flatMap(lines);
  const extra: Record<string, string[]> = {};
  for (const prefix of config.extraHeaderPrefixes) {
    const p = prefix.toLowerCase();
    for (const [k, v] of Object.entries(headers)) {
      if (!k.startsWith(p) || v === undefined) continue;
      let key: string;
      try {
        key = decodeURIComponent(k.slice(p.length)).toLowerCase();
      } catch {
        key = k.slice(p.length);
      }
      extra[key] = [...(extra[key] ?? []), ...v];
    }
  }
  return { user, groups, extra };
}
