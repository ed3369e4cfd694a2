// `event.extensions.response`: the real, writable http.ServerResponse of the call (a handler may
// pipe a stream into it or write it itself, as with the original Kubeless runtime), with
// Express's response helpers on its prototype. They are written against Express's
// documented behaviour; left out are the parts that need an Express app (render, sendFile,
// download, cookies with secrets, format) and ETag generation.
import { STATUS_CODES, ServerResponse } from 'node:http';
import { mimeTypesLib } from './lazy-deps.js';
import { validStatus } from './respond.js';

type HeaderValue = string | number | readonly string[];

export class InvalidStatusError extends RangeError {}

/** Adds `charset=utf-8` to the textual types, as Express's `set('Content-Type')` does. */
function withCharset(type: string): string {
  if (/;\s*charset=/i.test(type)) return type;
  const base = (type.split(';')[0] ?? '').trim().toLowerCase();
  const textual =
    base.startsWith('text/') ||
    base === 'application/json' ||
    base.endsWith('+json') ||
    base === 'application/javascript';
  return textual ? `${type}; charset=utf-8` : type;
}

/** A string body is sent as UTF-8, so its content type says so (replacing another charset). */
function utf8(type: string): string {
  return `${type.replace(/;\s*charset=[^;]*/gi, '')}; charset=utf-8`;
}

/** `json` → `application/json; charset=utf-8`; a full type gets its charset. */
function contentTypeOf(value: string): string {
  if (value.includes('/')) return withCharset(value);
  return mimeTypesLib().contentType(value) || 'application/octet-stream';
}

/** Percent-encodes what a URL may not carry, leaving existing `%XX` escapes alone. */
function encodeUrl(url: string): string {
  return encodeURI(url).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
}

export class FunctionResponse extends ServerResponse {
  status(code: number): this {
    const valid = validStatus(code);
    if (valid === undefined) {
      throw new InvalidStatusError(`invalid status code ${String(code)}; use an integer from 100 to 599`);
    }
    this.statusCode = valid;
    return this;
  }

  set(field: string | Record<string, HeaderValue>, value?: HeaderValue): this {
    if (typeof field === 'object') {
      for (const [name, v] of Object.entries(field)) this.set(name, v);
      return this;
    }
    if (field.toLowerCase() === 'content-type') {
      if (Array.isArray(value)) throw new TypeError('Content-Type cannot be set to an Array');
      this.setHeader(field, contentTypeOf(String(value)));
    } else {
      this.setHeader(field, Array.isArray(value) ? value.map(String) : String(value));
    }
    return this;
  }

  header(field: string | Record<string, HeaderValue>, value?: HeaderValue): this {
    return this.set(field, value);
  }

  get(field: string): string | number | string[] | undefined {
    return this.getHeader(field);
  }

  append(field: string, value: string | string[]): this {
    const prev = this.getHeader(field);
    if (prev === undefined) return this.set(field, value);
    const before = Array.isArray(prev) ? prev : [String(prev)];
    return this.set(field, before.concat(value));
  }

  type(type: string): this {
    return this.set('Content-Type', type);
  }

  contentType(type: string): this {
    return this.type(type);
  }

  /** Sends the whole answer now: a string as HTML (Express's default), bytes, or JSON. */
  send(body?: unknown): this {
    let chunk: string | Buffer;
    const type = this.getHeader('content-type');
    if (typeof body === 'string') {
      this.setHeader('content-type', utf8(typeof type === 'string' ? type : 'text/html'));
      chunk = body;
    } else if (body === undefined || body === null) {
      chunk = '';
    } else if (body instanceof Uint8Array) {
      if (type === undefined) this.setHeader('content-type', 'application/octet-stream');
      chunk = Buffer.isBuffer(body) ? body : Buffer.from(body);
    } else {
      return this.json(body);
    }
    const status = this.statusCode;
    if (status === 204 || status === 304) {
      this.removeHeader('content-type');
      this.removeHeader('content-length');
      this.removeHeader('transfer-encoding');
      chunk = '';
    } else if (status === 205) {
      this.setHeader('content-length', '0');
      this.removeHeader('transfer-encoding');
      chunk = '';
    } else {
      this.setHeader('content-length', typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
    }
    if (this.req.method === 'HEAD') this.end();
    else this.end(chunk);
    return this;
  }

  json(body: unknown): this {
    if (!this.hasHeader('content-type')) this.setHeader('content-type', 'application/json; charset=utf-8');
    return this.send(JSON.stringify(body) ?? '');
  }

  sendStatus(code: number): this {
    this.status(code);
    this.setHeader('content-type', 'text/plain; charset=utf-8');
    return this.send(STATUS_CODES[code] ?? String(code));
  }

  location(url: string): this {
    this.setHeader('location', encodeUrl(url));
    return this;
  }

  /** `redirect(url)` (302) or `redirect(status, url)`, with a short text body as Express sends. */
  redirect(statusOrUrl: number | string, url?: string): this {
    const status = typeof statusOrUrl === 'number' ? statusOrUrl : 302;
    const target = typeof statusOrUrl === 'number' ? String(url) : statusOrUrl;
    this.location(target);
    this.status(status);
    this.setHeader('content-type', 'text/plain; charset=utf-8');
    return this.send(`${STATUS_CODES[status] ?? String(status)}. Redirecting to ${encodeUrl(target)}`);
  }

  vary(field: string): this {
    const current = String(this.getHeader('vary') ?? '');
    if (current.trim() === '*') return this;
    const have = current
      .split(',')
      .map((f) => f.trim().toLowerCase())
      .filter(Boolean);
    const add = field
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f && !have.includes(f.toLowerCase()));
    if (add.length > 0) this.setHeader('vary', [current.trim(), ...add].filter(Boolean).join(', '));
    return this;
  }

  links(links: Record<string, string>): this {
    const current = this.getHeader('link');
    const added = Object.entries(links).map(([rel, href]) => `<${href}>; rel="${rel}"`);
    this.setHeader('link', (current ? [String(current), ...added] : added).join(', '));
    return this;
  }
}

/**
 * The call's response with Express's helpers. The server creates every response as a
 * FunctionResponse (`createServer({ ServerResponse })`), so this is a type check, not what Express
 * does (switch each response's prototype): on V8 that switch more than doubled the CPU time of a
 * hello-world call (40 → 97-123 µs), every call after it paying through the http internals.
 */
export function asFunctionResponse(res: ServerResponse): FunctionResponse {
  if (res instanceof FunctionResponse) return res;
  Object.setPrototypeOf(res, FunctionResponse.prototype);
  return res as FunctionResponse;
}

/**
 * The handler answers by itself once it has written to the response (headers out), ended it, or
 * piped a stream into it (a pipe listens for `unpipe` on its destination); the runtime must then
 * write nothing of its own.
 */
export function handlerOwns(res: ServerResponse): boolean {
  return res.headersSent || res.writableEnded || res.listenerCount('unpipe') > 0;
}
