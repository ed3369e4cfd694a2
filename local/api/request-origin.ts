// Who may talk to the local API. It listens on 127.0.0.1 for one user, and a web page that user
// opens must not be able to use it: not by rebinding a DNS name to 127.0.0.1 (the Host header
// then carries that name), nor by sending a request from its own origin (the browser then says
// so in Origin or Sec-Fetch-Site). kubectl, the CLI, curl and the tests send neither Origin nor
// Sec-Fetch-Site and use 127.0.0.1 or localhost, so they pass. Pure decisions, one middleware.
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { statusFailure, type Status } from '../../lib/k8s/status.js';
import { sendStatus } from './http.js';

/** Names the API answers to without configuration, as they appear in a Host header. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

const HOW_TO_ALLOW = 'start kubeless local with --host-name <name> (or KUBELESS_HOST_NAME=<name>)';

/** The host name of a Host header (`[::1]:8080` → `[::1]`), lower-cased; undefined if malformed. */
export function hostOf(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  return m ? m[1] : undefined;
}

/** Why a Host header is refused (DNS rebinding), or undefined when it names this platform. */
export function hostProblem(header: string | undefined, extraNames: readonly string[]): string | undefined {
  // HTTP/1.0 clients may omit Host; browsers never do.
  if (header === undefined) return undefined;
  const host = hostOf(header);
  if (
    host !== undefined &&
    ((LOOPBACK_HOSTS as readonly string[]).includes(host) || extraNames.includes(host))
  )
    return undefined;
  return (
    `the local platform answers only requests addressed to ${[...LOOPBACK_HOSTS, ...extraNames].join(', ')} ` +
    `(Host ${JSON.stringify(header)} is none of them), so that a web page cannot reach it through a DNS name ` +
    `that resolves to 127.0.0.1; to reach it under another name, ${HOW_TO_ALLOW}`
  );
}

/** Whether `origin` is this API's own origin: a loopback name on the port it listens on, or a configured name. */
export function originAllowed(origin: string, apiPort: number, extraNames: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) and anything unparsable
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '' || url.pathname !== '/') return false;
  const host = url.hostname.toLowerCase();
  // A configured name may sit behind a proxy on another port.
  if (extraNames.includes(host)) return true;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return (LOOPBACK_HOSTS as readonly string[]).includes(host) && port === apiPort;
}

export interface OriginHeaders {
  origin?: string;
  secFetchSite?: string;
}

/** Why a request from a browser is refused (it comes from another site), or undefined. */
export function crossSiteProblem(
  h: OriginHeaders,
  apiPort: number,
  extraNames: readonly string[],
): string | undefined {
  const fix =
    "call the API from kubectl, the kubeless CLI or another program, or from a page served on the API's own origin";
  if (h.origin !== undefined) {
    if (originAllowed(h.origin, apiPort, extraNames)) return undefined;
    return `cross-site request refused: Origin ${JSON.stringify(h.origin)} is not the local platform's own origin (a web page may not deploy or call functions); ${fix}`;
  }
  const site = h.secFetchSite?.toLowerCase();
  if (site === 'cross-site' || site === 'same-site')
    return `cross-site request refused: the browser says it comes from another origin (Sec-Fetch-Site: ${site}); ${fix}`;
  return undefined;
}

function forbidden(message: string): Status {
  return statusFailure(403, 'Forbidden', message);
}

/** The 403 for a request for another host name or from another site, or undefined when it may pass. */
export function originRefusal(req: IncomingMessage, names: readonly string[]): Status | undefined {
  const host = hostProblem(req.headers.host, names);
  if (host !== undefined) return forbidden(host);
  const fetchSite = req.headers['sec-fetch-site'];
  const site = crossSiteProblem(
    { origin: req.headers.origin, secFetchSite: Array.isArray(fetchSite) ? fetchSite[0] : fetchSite },
    req.socket.localPort ?? 0,
    names,
  );
  return site === undefined ? undefined : forbidden(site);
}

/** Refuses, with a 403 Status, requests for another host name and requests from other sites. */
export function requestOriginGuard(extraNames: readonly string[]) {
  const names = extraNames.map((n) => n.toLowerCase());
  return (req: Request, res: Response, next: NextFunction): void => {
    const refusal = originRefusal(req, names);
    if (refusal !== undefined) {
      sendStatus(res, refusal);
      return;
    }
    next();
  };
}
