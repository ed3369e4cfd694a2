// The objects a handler sees. Their shape follows the original Kubeless runtime (which passed
// Express objects) so that functions written for it run unchanged.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type HeaderMap, type Reply, toReply, validStatus } from './respond.js';

export type Query = Record<string, string | string[]>;

/** Splits `/a/b?x=1&x=2&y` into a path and an Express-like query object (repeats become arrays). */
export function splitUrl(url: string): { path: string; query: Query } {
  const mark = url.indexOf('?');
  if (mark === -1) return { path: url, query: {} };
  const query: Query = {};
  for (const [key, value] of new URLSearchParams(url.slice(mark + 1))) {
    const seen = query[key];
    if (seen === undefined) query[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[key] = [seen, value];
  }
  return { path: url.slice(0, mark), query };
}

export class FunctionRequest {
  readonly path: string;
  readonly query: Query;
  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: IncomingHttpHeaders,
    readonly body: unknown,
    readonly rawBody: Buffer,
  ) {
    const split = splitUrl(url);
    this.path = split.path;
    this.query = split.query;
  }
  get originalUrl(): string {
    return this.url;
  }
  get(name: string): string | string[] | undefined {
    const lower = name.toLowerCase();
    if (lower === 'referer' || lower === 'referrer') return this.headers.referer ?? this.headers.referrer;
    return this.headers[lower];
  }
  header(name: string): string | string[] | undefined {
    return this.get(name);
  }
}

export class InvalidStatusError extends Error {}

/** Collects status and headers; `send`/`json`/`end` answer at once, as Express did. */
export class FunctionResponse {
  statusCode = 200;
  headers: HeaderMap = {};
  sent = false;
  constructor(private readonly finish: (reply: Reply) => void) {}

  status(code: number): this {
    const valid = validStatus(code);
    if (valid === undefined) {
      throw new InvalidStatusError(`invalid status code ${String(code)}; use an integer from 100 to 599`);
    }
    this.statusCode = valid;
    return this;
  }
  set(name: string | Record<string, string>, value?: string | number | string[]): this {
    if (typeof name === 'object') {
      for (const [k, v] of Object.entries(name)) this.set(k, v);
      return this;
    }
    if (value !== undefined) this.headers[name.toLowerCase()] = Array.isArray(value) ? value : String(value);
    return this;
  }
  setHeader(name: string, value: string | number | string[]): this {
    return this.set(name, value);
  }
  header(name: string, value: string | number | string[]): this {
    return this.set(name, value);
  }
  get(name: string): string | string[] | undefined {
    return this.headers[name.toLowerCase()];
  }
  getHeader(name: string): string | string[] | undefined {
    return this.get(name);
  }
  type(contentType: string): this {
    return this.set('content-type', contentType.includes('/') ? contentType : `application/${contentType}`);
  }
  send(body?: unknown): this {
    if (!this.sent) {
      this.sent = true;
      this.finish(toReply(body, this.statusCode, this.headers));
    }
    return this;
  }
  json(body: unknown): this {
    if (this.headers['content-type'] === undefined) this.headers['content-type'] = 'application/json; charset=utf-8';
    return this.send(JSON.stringify(body) ?? '');
  }
  end(body?: unknown): this {
    return this.send(body);
  }
  sendStatus(code: number): this {
    return this.status(code).send(String(code));
  }
}

export interface FunctionEvent {
  data: unknown;
  'event-id': string;
  'event-type': string;
  'event-time': string;
  'event-namespace': string;
  extensions: {
    request: FunctionRequest;
    response: FunctionResponse;
    cloudevents?: Record<string, string>;
  };
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Kubeless event headers win; CloudEvents binary-mode headers fill what they lack; anything
 * still missing is generated so handlers can always rely on the four fields.
 */
export function buildEvent(data: unknown, request: FunctionRequest, response: FunctionResponse): FunctionEvent {
  const h = request.headers;
  const ceId = one(h['ce-id']);
  let cloudevents: Record<string, string> | undefined;
  if (ceId !== undefined) {
    cloudevents = {};
    for (const [key, value] of Object.entries(h)) {
      if (key.startsWith('ce-') && value !== undefined) cloudevents[key.slice(3)] = one(value) ?? '';
    }
  }
  return {
    data,
    'event-id': one(h['event-id']) ?? ceId ?? randomUUID(),
    'event-type': one(h['event-type']) ?? one(h['ce-type']) ?? 'http.request',
    'event-time': one(h['event-time']) ?? one(h['ce-time']) ?? new Date().toISOString(),
    'event-namespace': one(h['event-namespace']) ?? one(h['ce-source']) ?? 'http.kubeless.io',
    extensions: cloudevents ? { request, response, cloudevents } : { request, response },
  };
}
