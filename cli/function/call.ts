import { sniffContentType } from '../../lib/invoke/content-type.js';
import { isText } from './source.js';

export interface CallFlags {
  /** `--data`: the body as typed. */
  data?: string;
  /** `--data-file`: the body as read from a file (or stdin), for bodies a command line cannot hold. */
  dataBytes?: Buffer;
  method?: string;
  header?: string[];
}

export interface CallPlan {
  method: string;
  body?: string | Buffer;
  headers: Record<string, string>;
}

/** The event source the original CLI's calls carried; functions may branch on it. */
export const CLI_EVENT_NAMESPACE = 'cli.kubeless.io';

const METHOD_RE = /^[A-Za-z]+$/;

/**
 * JSON is labelled JSON (the invoke proxies' rule for an unlabelled body, lib/invoke) so the
 * runtime parses it; other text is text; anything else is bytes.
 */
function contentTypeOf(body: string | Buffer): string {
  if (typeof body !== 'string' && !isText(body)) return 'application/octet-stream';
  return sniffContentType(typeof body === 'string' ? Buffer.from(body) : body) ?? 'text/plain; charset=utf-8';
}

function parseHeaders(list: string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of list ?? []) {
    const colon = h.indexOf(':');
    const name = colon > 0 ? h.slice(0, colon).trim() : '';
    if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new Error(`invalid --header "${h}": write "Name: value", e.g. --header "X-Request-Id: 42"`);
    }
    headers[name] = h.slice(colon + 1).trim();
  }
  return headers;
}

function has(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/**
 * The HTTP request `kubeless function call` sends: POST when there is data (GET otherwise), as
 * the original Kubeless did, with its `event-namespace` and (for data) an `event-type` naming the
 * body's type. Headers the user gives win.
 */
export function callRequest(flags: CallFlags): CallPlan {
  if (flags.data !== undefined && flags.dataBytes !== undefined) {
    throw new Error('give either --data or --data-file, not both');
  }
  const body = flags.dataBytes ?? flags.data;
  const method = (flags.method ?? (body !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!METHOD_RE.test(method))
    throw new Error(`invalid --method "${flags.method}": give an HTTP method such as GET or POST`);
  const headers = parseHeaders(flags.header);
  if (body !== undefined && !has(headers, 'content-type')) headers['Content-Type'] = contentTypeOf(body);
  if (body !== undefined && !has(headers, 'event-type')) {
    const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    headers['event-type'] = type.split(';')[0]!.trim();
  }
  if (!has(headers, 'event-namespace')) headers['event-namespace'] = CLI_EVENT_NAMESPACE;
  return { method, body, headers };
}

/** Answers printed as they come: text gets a final newline (as the original printed it), bytes do not. */
export function needsNewline(body: Buffer, contentType: string | undefined): boolean {
  if (body.length === 0 || body[body.length - 1] === 0x0a) return false;
  const type = (contentType ?? '').toLowerCase();
  const textual =
    type === '' || type.startsWith('text/') || /[/+]json\b/.test(type) || /[/+]xml\b/.test(type);
  return textual && isText(body);
}
