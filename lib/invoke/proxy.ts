// The invoke proxy: one HTTP request from a caller to a function and its answer back, with a body
// limit, a deadline, kept connections (retried once when one goes away under a call) and every
// failure answered as a Kubernetes Status. Used by the cluster's `kubeless api`, the local
// platform's invoke subresource and its HTTPTrigger gateway; only the resolver (where a function
// lives) and the mode differ.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { statusFailure, type Status } from '../k8s/status.js';
import { ByteCap } from '../stream/byte-cap.js';
import type { FunctionConnections } from './connections.js';
import { needsContentType, sniffContentType } from './content-type.js';
import { functionNotFound, proxyFailureStatus } from './failures.js';
import {
  addForwardedHeaders,
  answerHeaders,
  DEFAULT_HEADER_RULES,
  endToEndHeaders,
  functionRequestHeaders,
  type HeaderRules,
} from './headers.js';
import { readLimited } from './read.js';
import type { FunctionResolver } from './resolver.js';
import { isRuntimeError, runtimeErrorStatus, RUNTIME_ERROR_MAX_BYTES } from './runtime-error.js';
import { sendToFunction } from './send.js';

/** Bodies up to this size are read before sending, so a call can be sent again (retry.ts). */
export const REPLAYABLE_BODY_BYTES = 64 * 1024;

/**
 * `invoke`: the subresource's rules: credentials and identity dropped, Kubeless event headers
 * added, an unlabelled JSON body labelled, the runtime's own error answers turned into a Status.
 * `ingress`: what an Ingress controller in front of a function does: the caller's headers as they
 * came plus X-Forwarded-*, every answer passed on untouched.
 */
export type ProxyMode = 'invoke' | 'ingress';

export interface InvokeProxyOptions {
  resolver: FunctionResolver;
  connections: FunctionConnections;
  mode: ProxyMode;
  bodyLimitBytes: number;
  /** Seconds past the function's own timeout before the proxy gives up (the runtime's 408 comes first). */
  deadlineMarginSeconds: number;
  logger: Logger;
  /** Identity headers of the front proxy (invoke mode). */
  headerRules?: HeaderRules;
  /** Writes a failure the platform made; default: the Status as JSON. */
  sendFailure?: (res: ServerResponse, status: Status) => void;
  /** Told when a call ends, with the status code the caller got and how long it took. */
  onDone?: (code: number, seconds: number) => void;
  /** Told when a call is sent again on a new connection (a kept one went away under it). */
  onRetry?: (code: string | undefined) => void;
}

export interface InvokeTarget {
  namespace: string;
  name: string;
  /** Path and query the function sees. */
  path: string;
}

export interface InvokeProxy {
  handle(req: IncomingMessage, res: ServerResponse, target: InvokeTarget): Promise<void>;
}

export function sendStatusJson(res: ServerResponse, s: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(s);
  res.writeHead(s.code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const error = (code: string, message: string): NodeJS.ErrnoException =>
  Object.assign(new Error(message), { code });

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

export function createInvokeProxy(o: InvokeProxyOptions): InvokeProxy {
  const sendFailure = o.sendFailure ?? sendStatusJson;
  const rules = o.headerRules ?? DEFAULT_HEADER_RULES;

  async function handle(req: IncomingMessage, res: ServerResponse, t: InvokeTarget): Promise<void> {
    const started = process.hrtime.bigint();
    const done = (code: number): void => o.onDone?.(code, Number(process.hrtime.bigint() - started) / 1e9);
    const fail = (s: Status): void => {
      done(s.code);
      o.logger.info(
        { namespace: t.namespace, name: t.name, code: s.code, reason: s.reason },
        s.message ?? 'invoke failed',
      );
      sendFailure(res, s);
    };
    const failure = (code: string | undefined, timeoutSeconds?: number, declaredBytes?: number): Status =>
      proxyFailureStatus({
        code,
        namespace: t.namespace,
        name: t.name,
        timeoutSeconds,
        limitBytes: o.bodyLimitBytes,
        declaredBytes,
      });

    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > o.bodyLimitBytes) {
      req.resume();
      return fail(failure('TOO_LARGE', undefined, declared));
    }
    // A local function that is running resolves at once: no turn of the event loop for it.
    const resolving = o.resolver.resolve(t.namespace, t.name);
    const where = resolving instanceof Promise ? await resolving : resolving;
    if (where.state === 'missing') return fail(functionNotFound(t.namespace, t.name));
    if (where.state === 'unavailable') {
      return fail(
        proxyFailureStatus({
          code: 'NOT_READY',
          namespace: t.namespace,
          name: t.name,
          notReady: { why: where.why, fix: where.fix },
        }),
      );
    }
    const timeoutSeconds = where.timeoutSeconds + o.deadlineMarginSeconds;
    const address = where.address;

    let headers: Record<string, string | string[]>;
    if (o.mode === 'invoke') headers = functionRequestHeaders(req.headers, { now: new Date() }, rules);
    else {
      headers = endToEndHeaders(req.headers);
      addForwardedHeaders(headers, req.headers, {
        address: req.socket.remoteAddress,
        port: req.socket.localPort,
        encrypted: 'encrypted' in req.socket,
      });
    }

    if (!hasBody(req)) return forward(undefined);
    const sniff = o.mode === 'invoke' && needsContentType(req.headers);
    if (!sniff && (declared > REPLAYABLE_BODY_BYTES || req.headers['content-length'] === undefined)) {
      // A chunked or large body is counted as it streams.
      const limiter = new ByteCap(o.bodyLimitBytes, () => error('TOO_LARGE', 'body too large'));
      limiter.on('error', () => req.resume());
      return forward(req.pipe(limiter));
    }
    // Read whole, so that it can be sent again (retry.ts) and labelled; the call goes on from the
    // reader's callback rather than after an await (one promise less per call).
    readLimited(req, o.bodyLimitBytes, (err, body) => {
      if (err) {
        const code = err.code;
        // A caller that went away mid-body needs no answer.
        if (code !== 'TOO_LARGE' && res.destroyed) return;
        return fail(failure(code === 'TOO_LARGE' ? 'TOO_LARGE' : code));
      }
      if (sniff) {
        const type = sniffContentType(body);
        if (type) headers['content-type'] = type;
      }
      headers['content-length'] = String(body.length);
      try {
        forward(body);
      } catch (e) {
        // What a rejected handle() would have told its caller, for a throw outside its promise.
        o.logger.error(
          { namespace: t.namespace, name: t.name, error: (e as Error).message },
          'invoke failed',
        );
        sendStatusJson(res, statusFailure(500, 'InternalError', `invoke failed: ${(e as Error).message}`));
      }
    });

    function forward(body: Buffer | Readable | undefined): void {
      // The answer: passed on as it streams, except a runtime's own error answer (invoke mode),
      // which is read (it is small) and becomes a Status for kubectl.
      let finished = false;
      let runtimeError: { code: number; chunks: Buffer[]; size: number } | undefined;
      // Set once the call is under way: a call undici refuses at once ends inside sendToFunction.
      let stopDeadline = (): void => undefined;
      /** The status code the caller got, for onDone. */
      let answered = 502;
      const end = (): void => {
        finished = true;
        stopDeadline();
      };
      const call = sendToFunction(
        o.connections,
        address,
        { method: req.method ?? 'GET', path: t.path, headers, body },
        {
          head(code, message, upHeaders) {
            if (o.mode === 'invoke' && isRuntimeError(upHeaders)) {
              runtimeError = { code, chunks: [], size: 0 };
              return;
            }
            res.writeHead(code, message, answerHeaders(upHeaders));
            answered = code;
          },
          data(chunk) {
            if (runtimeError) {
              runtimeError.size += chunk.length;
              if (runtimeError.size <= RUNTIME_ERROR_MAX_BYTES) runtimeError.chunks.push(chunk);
              return true;
            }
            return res.write(chunk);
          },
          end() {
            if (finished) return;
            end();
            if (runtimeError) {
              const answer = Buffer.concat(runtimeError.chunks);
              return fail(runtimeErrorStatus(runtimeError.code, answer, t.namespace, t.name));
            }
            res.end();
            done(answered);
          },
          error(err) {
            if (finished) return;
            end();
            const code = err.code;
            // The address may belong to a process or pod that is gone: resolve afresh on the next call.
            if (code !== 'TOO_LARGE' && code !== 'TIMEOUT' && code !== 'CLIENT_GONE') {
              o.resolver.forget?.(t.namespace, t.name, address);
            }
            if (code === 'CLIENT_GONE') return;
            fail(failure(code, timeoutSeconds));
          },
        },
        { onRetry: o.onRetry },
      );
      if (finished) return;
      const timer = setTimeout(
        () => call.destroy(error('TIMEOUT', `no answer within ${timeoutSeconds}s`)),
        timeoutSeconds * 1000,
      );
      stopDeadline = () => clearTimeout(timer);
      res.on('drain', () => call.resume());
      res.once('close', () => {
        if (!finished) call.destroy(error('CLIENT_GONE', 'the caller closed the connection'));
      });
    }
  }

  return { handle };
}
