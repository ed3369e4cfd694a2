// `event.extensions.request`: what the original Kubeless runtime handed functions, an Express
// request. It is an http.IncomingMessage (a readable stream of the request body, so multer and
// busboy can parse an upload from it) with Express's helpers, written against Express's
// documented behaviour with its default settings ("trust proxy" off, the "extended" query
// parser of Express 4 that the original used). The runtime has read the body already, under its
// size limit, so this message replays those bytes over the same socket's metadata.
import { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { acceptsLib, qsLib, typeIsLib } from './lazy-deps.js';

export type Query = Record<string, unknown>;

/** `/a/b?x=1&x=2` → path and query; flat keys without the query-string library (most URLs). */
export function splitUrl(url: string): { path: string; query: Query } {
  const mark = url.indexOf('?');
  if (mark === -1) return { path: url, query: {} };
  return { path: url.slice(0, mark), query: parseQuery(url.slice(mark + 1)) };
}

function parseQuery(text: string): Query {
  // Bracket keys (`a[b]=1`, `a[]=1`) need qs, as Express 4 parsed them; everything else is
  // the same with URLSearchParams: repeated keys become arrays, `+` is a space.
  if (text.includes('[') || text.includes('%5B') || text.includes('%5b')) {
    return qsLib().parse(text, { allowPrototypes: false });
  }
  const query: Query = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (key in Object.prototype) continue; // as qs: no key may shadow what objects inherit
    const seen = query[key];
    if (seen === undefined) query[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[key] = [seen, value];
  }
  return query;
}

function listOf(args: Array<string | string[]>): string[] {
  return args.flat();
}

const UNSET = Symbol('unset');

export class FunctionRequest extends IncomingMessage {
  /** The body's bytes, whatever its type. */
  readonly rawBody: Buffer;
  readonly params: Record<string, string> = {};
  readonly baseUrl = '';
  readonly originalUrl: string;
  #query: Query | undefined;
  #body: unknown = UNSET;
  #pending: Buffer | null;

  constructor(source: IncomingMessage, raw: Buffer) {
    super(source.socket as Socket);
    this.method = source.method;
    this.url = source.url ?? '/';
    this.originalUrl = this.url;
    this.httpVersion = source.httpVersion;
    this.httpVersionMajor = source.httpVersionMajor;
    this.httpVersionMinor = source.httpVersionMinor;
    this.headers = source.headers;
    this.rawHeaders = source.rawHeaders;
    this.trailers = source.trailers;
    this.complete = true;
    this.rawBody = raw;
    this.#pending = raw;
  }

  /** As the original's body-parser left it: the raw bytes, or `{}` for multipart and no body. */
  get body(): unknown {
    if (this.#body === UNSET) {
      const h = this.headers;
      const hasBody = h['content-length'] !== undefined || h['transfer-encoding'] !== undefined;
      // (Not this.is(): that would load type-is for every request with a body.)
      this.#body = hasBody && !/^\s*multipart\//i.test(h['content-type'] ?? '') ? this.rawBody : {};
    }
    return this.#body;
  }
  /** Body parsers (multer) put what they parsed here. */
  set body(value: unknown) {
    this.#body = value;
  }

  override _read(): void {
    // The whole body is here already; hand it over on the first read (not before: a handler
    // that never reads the stream keeps no second reference to the bytes in a stream buffer).
    const chunk = this.#pending;
    this.#pending = null;
    if (chunk !== null && chunk.length > 0) this.push(chunk);
    this.push(null);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    // The socket belongs to the runtime's own request and answer: destroying this replay must
    // not cut the connection the runtime still answers on.
    callback(err);
  }

  get path(): string {
    const url = this.url ?? '/';
    const mark = url.indexOf('?');
    return mark === -1 ? url : url.slice(0, mark);
  }

  get query(): Query {
    return (this.#query ??= splitUrl(this.url ?? '/').query);
  }

  get(name: string): string | string[] | undefined {
    const lower = name.toLowerCase();
    if (lower === 'referer' || lower === 'referrer') return this.headers.referer ?? this.headers.referrer;
    return this.headers[lower];
  }

  header(name: string): string | string[] | undefined {
    return this.get(name);
  }

  /** The matching type of the body (`'json'`, `'multipart/*'` ...), false, or null without a body. */
  is(...types: Array<string | string[]>): string | false | null {
    return typeIsLib()(this, listOf(types));
  }

  accepts(...types: Array<string | string[]>): string | string[] | false {
    return acceptsLib()(this).types(listOf(types));
  }
  acceptsCharsets(...charsets: Array<string | string[]>): string | string[] | false {
    return acceptsLib()(this).charsets(listOf(charsets));
  }
  acceptsEncodings(...encodings: Array<string | string[]>): string | string[] | false {
    return acceptsLib()(this).encodings(listOf(encodings));
  }
  acceptsLanguages(...languages: Array<string | string[]>): string | string[] | false {
    return acceptsLib()(this).languages(listOf(languages));
  }

  /** "trust proxy" is off, as in Express's defaults: the connection decides, not X-Forwarded-*. */
  get protocol(): string {
    return (this.socket as Socket & { encrypted?: boolean }).encrypted ? 'https' : 'http';
  }
  get secure(): boolean {
    return this.protocol === 'https';
  }
  get ip(): string | undefined {
    return this.socket.remoteAddress;
  }
  get ips(): string[] {
    return [];
  }

  /** The Host header's name (without the port; IPv6 literals kept in brackets). */
  get hostname(): string | undefined {
    const host = this.headers.host;
    if (!host) return undefined;
    const from = host.startsWith('[') ? host.indexOf(']') + 1 : 0;
    const colon = host.indexOf(':', from);
    return colon === -1 ? host : host.slice(0, colon);
  }
  get host(): string | undefined {
    return this.headers.host;
  }

  /** Host name labels before the last two, most specific first (Express's "subdomain offset" 2). */
  get subdomains(): string[] {
    const name = this.hostname;
    if (!name || /^[\d.]+$/.test(name) || name.includes(':') || name.startsWith('[')) return [];
    return name.split('.').reverse().slice(2);
  }

  get xhr(): boolean {
    return (this.get('x-requested-with') ?? '').toString().toLowerCase() === 'xmlhttprequest';
  }

  /** The IncomingMessage fields JSON can carry (the socket cannot be serialised). */
  toJSON(): Record<string, unknown> {
    return { method: this.method, url: this.url, path: this.path, query: this.query, headers: this.headers };
  }
}
