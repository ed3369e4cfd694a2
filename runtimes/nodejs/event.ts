// The objects a handler sees. Their shape follows the original Kubeless runtime (which passed
// Express objects) so that functions written for it run unchanged.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FunctionRequest } from './express-request.js';
import { asFunctionResponse, type FunctionResponse } from './express-response.js';

/** What the event's extensions are made from: the call in progress. */
export interface CallSource {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The body as read (under the size limit). */
  readonly raw: Buffer;
  /** The handler read `response` for the first time: from now on it may answer by itself. */
  responseAdopted(): void;
}

/**
 * `request` is built, and the call starts watching `response`, the first time a handler reads
 * them: most handlers never do, and an IncomingMessage and two listeners fewer per call is
 * measurable at tens of thousands of calls a second. Native private fields keep
 * JSON.stringify(event) free of them.
 */
export class Extensions {
  cloudevents?: Record<string, string>;
  #request: FunctionRequest | undefined;
  #response: FunctionResponse | undefined;
  readonly #call: CallSource;
  constructor(call: CallSource) {
    this.#call = call;
  }
  get request(): FunctionRequest {
    return (this.#request ??= new FunctionRequest(this.#call.req, this.#call.raw));
  }
  get response(): FunctionResponse {
    if (this.#response === undefined) {
      this.#response = asFunctionResponse(this.#call.res);
      this.#call.responseAdopted();
    }
    return this.#response;
  }
  /** The response object if the handler touched it, to honour the status and headers it set. */
  responseIfUsed(): FunctionResponse | undefined {
    return this.#response;
  }
  /** A request and a response hold a socket: JSON gets what describes the call instead. */
  toJSON(): Record<string, unknown> {
    const req = this.#call.req;
    return {
      request: { method: req.method, url: req.url, headers: req.headers },
      cloudevents: this.cloudevents,
    };
  }
}

export interface FunctionEvent {
  data: unknown;
  'event-id': string;
  'event-type': string;
  'event-time': string;
  'event-namespace': string;
  extensions: Extensions;
}

// Clock reads and Date#toISOString are slow on virtual machines (a system call and ~2 µs), so the
// time comes from the call's start (performance.now(), already read) and the formatted
// seconds are reused until the second changes; the wall-clock offset is re-read then too, so the
// monotonic clock cannot drift away from the wall clock.
let offset = Date.now() - performance.now();
let cachedSecond = -1;
let cachedPrefix = '';
export function isoFromPerf(perfNow: number): string {
  let ms = Math.floor(offset + perfNow);
  let second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    offset = Date.now() - performance.now();
    ms = Math.floor(offset + perfNow);
    second = Math.floor(ms / 1000);
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  const frac = ms - second * 1000;
  return `${cachedPrefix}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
}

/**
 * Kubeless event headers win; CloudEvents binary-mode headers fill what they lack; anything
 * still missing is generated so handlers can always rely on the four fields. (Node joins
 * repeated custom headers into one string, so these are never arrays.)
 */
export function buildEvent(call: CallSource, data: unknown, startedAt: number): FunctionEvent {
  const h = call.req.headers as Record<string, string | undefined>;
  const ceId = h['ce-id'];
  const extensions = new Extensions(call);
  if (ceId !== undefined) {
    const cloudevents: Record<string, string> = {};
    for (const key of Object.keys(h)) {
      if (key.startsWith('ce-')) cloudevents[key.slice(3)] = String(h[key]);
    }
    extensions.cloudevents = cloudevents;
  }
  return {
    data,
    'event-id': h['event-id'] ?? ceId ?? randomUUID(),
    'event-type': h['event-type'] ?? h['ce-type'] ?? 'http.request',
    'event-time': h['event-time'] ?? h['ce-time'] ?? isoFromPerf(startedAt),
    'event-namespace': h['event-namespace'] ?? h['ce-source'] ?? 'http.kubeless.io',
    extensions,
  };
}
