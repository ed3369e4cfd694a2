// The hot path: plain node:http, one closure per call, no framework.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { BodyError, bodyKind, checkDeclaredLength, parseData, tooLarge } from './body.js';
import type { RuntimeConfig } from './config.js';
import { buildEvent, type CallSource, type Extensions } from './event.js';
import { FunctionResponse, handlerOwns } from './express-response.js';
import type { Handler } from './loader.js';
import { CONTENT_TYPE, type FunctionMetrics } from './metrics.js';
import { isThenable, socketFd, writeReply } from './http-out.js';
import { errorReply, type Reply, toReply } from './respond.js';
import type { CallTracker } from './watchdog.js';
import { timeoutMessage } from './watchdog-decide.js';

export interface ServeOptions {
  config: RuntimeConfig;
  handler: Handler;
  metrics: FunctionMetrics;
  tracker: CallTracker;
  logger: Logger;
}

export interface FunctionServer {
  server: http.Server<typeof IncomingMessage, typeof FunctionResponse>;
  /** Stops accepting, lets calls in flight finish, resolves when none is left. */
  drain(): Promise<void>;
  /**
   * Answers 408 for a call whose synchronous code the watchdog stopped (it never returned, so
   * nothing else will); a no-op otherwise. Called from the loop's heartbeat.
   */
  recoverStopped(): void;
}

const EMPTY = Buffer.alloc(0);
const HEADERS_TIMEOUT_MS = 30_000;
const DISCARD_LIMIT = 64 * 1024 * 1024;

export function createFunctionServer(opts: ServeOptions): FunctionServer {
  const { config, handler, metrics, tracker, logger } = opts;
  const context = Object.freeze({
    'function-name': config.functionName,
    timeout: config.timeoutSeconds,
    runtime: config.runtime,
    'memory-limit': config.memoryLimit,
  });
  let inFlight = 0;
  /** The call whose handler is running synchronously right now, if any. */
  let running: Call | undefined;
  let draining = false;
  let drained: (() => void) | undefined;

  function callDone(): void {
    inFlight--;
    if (draining && inFlight === 0 && drained) drained();
  }

  // One object per call with its methods on the prototype: no closures allocated per call.
  class Call implements CallSource {
    finished = false;
    timer: NodeJS.Timeout | undefined = undefined;
    constructor(
      readonly req: IncomingMessage,
      readonly res: ServerResponse,
      readonly raw: Buffer,
      readonly method: string,
      readonly started: number,
    ) {}

    /** Writes the runtime's answer, unless the handler already began its own (then it is cut). */
    finish(reply: Reply): void {
      if (this.finished) return;
      this.finished = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      if (this.res.writableEnded) {
        // The handler's own answer is complete (it threw after sending): nothing to add.
      } else if (handlerOwns(this.res)) {
        // A timeout, an exception or a stop in the middle of the handler's own answer: a second
        // status line cannot follow the first, so the client sees the answer end early.
        this.res.destroy();
      } else {
        writeReply(this.res, reply, draining);
      }
      this.record(reply.status >= 500 || reply.status === 408);
    }

    record(failed: boolean): void {
      metrics.record(this.method, (performance.now() - this.started) / 1000, failed);
      callDone();
    }

    responseAdopted(): void {
      // Only calls whose handler reads `response` pay for this listener. A response emits
      // 'close' once it has finished, or when its connection went away before that.
      this.res.once('close', () => this.answeredByHandler());
    }

    /** The handler's own answer ended, or its connection closed: the call is over. */
    answeredByHandler(): void {
      if (this.finished) return;
      this.finished = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      const status = this.res.statusCode;
      this.record(status >= 500 || status === 408 || !this.res.writableFinished);
    }

    fail(err: unknown): void {
      logger.error(
        {
          err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err),
          method: this.method,
          path: this.req.url,
        },
        'function threw an exception',
      );
      this.finish(errorReply(500, "the function threw an exception; see the function's logs"));
    }

    timedOut(): void {
      logger.warn(
        { method: this.method, path: this.req.url, timeoutSeconds: config.timeoutMs / 1000 },
        'function call timed out',
      );
      this.finish(errorReply(408, timeoutMessage(config.timeoutMs / 1000)));
    }

    /** Its handler was stopped mid-run: the HTTP parser of this connection gave up with it. */
    stopped(): void {
      logger.warn(
        { method: this.method, path: this.req.url, timeoutSeconds: config.timeoutMs / 1000 },
        'function call timed out; its blocked synchronous code was stopped and the process keeps serving',
      );
      if (this.finished) {
        this.req.socket.destroySoon();
        return;
      }
      this.finish(errorReply(408, timeoutMessage(config.timeoutMs / 1000), { connection: 'close' }));
    }

    settle(value: unknown, extensions: Extensions): void {
      if (this.finished) return;
      const response = extensions.responseIfUsed();
      if (response !== undefined && handlerOwns(response)) {
        // The handler answers by itself (sent, or a stream piped into the response): its end is
        // recorded by answeredByHandler; a stream that never ends still meets the timeout.
        if (!response.writableEnded && this.timer === undefined) {
          this.timer = setTimeout(() => this.timedOut(), config.timeoutMs);
        }
        return;
      }
      let reply: Reply;
      try {
        reply = toReply(value, response ? response.statusCode : 200, {});
      } catch (err) {
        // A return value JSON cannot carry (a BigInt, a cycle) is the function's error, not a hang.
        this.fail(err);
        return;
      }
      // A type the handler set on the response wins over the default for the value.
      if (response?.hasHeader('content-type')) delete reply.headers['content-type'];
      this.finish(reply);
    }
  }

  function invoke(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const method = req.method ?? 'GET';
    const started = performance.now();
    const call = new Call(req, res, raw, method, started);
    inFlight++;
    let data: unknown;
    try {
      data = parseData(raw, bodyKind(req.headers['content-type']));
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      call.finish(errorReply(err.status, err.message));
      return;
    }
    const event = buildEvent(call, data, started);

    let result: unknown;
    tracker.enter(socketFd(req), started);
    running = call;
    try {
      result = handler(event, context);
    } catch (err) {
      // (A stop by the watchdog is no exception: nothing here runs then, `running` stays set.)
      running = undefined;
      tracker.leave();
      call.fail(err);
      return;
    }
    running = undefined;
    tracker.leave();
    if (call.finished) return;
    if (isThenable(result)) {
      call.timer = setTimeout(() => call.timedOut(), config.timeoutMs);
      result.then(
        (value) => call.settle(value, event.extensions),
        (err: unknown) => call.fail(err),
      );
      return;
    }
    call.settle(result, event.extensions);
  }

  function reject413(res: ServerResponse, message: string): void {
    const reply = errorReply(413, message, { connection: 'close' });
    reply.headers['content-length'] = String(Buffer.byteLength(reply.body));
    res.writeHead(413, reply.headers);
    res.end(reply.body);
  }

  /**
   * Closing a socket with unread input makes the kernel reset the connection, and the client
   * loses the 413 it has not read yet; so the rest of an oversized body is read and dropped
   * (up to DISCARD_LIMIT; past that the connection is cut) before the answer goes out.
   */
  function discardThen413(req: IncomingMessage, res: ServerResponse, seen: number): void {
    let size = seen;
    let answered = false;
    const answer = (): void => {
      if (answered) return;
      answered = true;
      reject413(res, tooLarge(size, config.bodyLimit));
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DISCARD_LIMIT) {
        answer();
        req.socket.destroy();
      }
    });
    req.on('end', answer);
    req.resume();
  }

  function readBody(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > config.bodyLimit) {
        req.off('data', onData);
        req.off('end', onEnd);
        discardThen413(req, res, size);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void =>
      invoke(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', () => req.off('end', onEnd));
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url;
    if (req.method === 'GET' && (url === '/healthz' || url === '/metrics')) {
      if (url === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '2' });
        res.end('OK');
      } else {
        const text = metrics.render();
        res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      }
      return;
    }
    const headers = req.headers;
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
      invoke(req, res, EMPTY);
      return;
    }
    try {
      checkDeclaredLength(headers['content-length'], config.bodyLimit);
    } catch {
      discardThen413(req, res, 0);
      return;
    }
    readBody(req, res);
  }

  /** `Expect: 100-continue` with a body over the limit: refuse before the client sends it. */
  function onCheckContinue(req: IncomingMessage, res: ServerResponse): void {
    try {
      checkDeclaredLength(req.headers['content-length'], config.bodyLimit);
    } catch (err) {
      reject413(res, (err as Error).message);
      return;
    }
    res.writeContinue();
    onRequest(req, res);
  }

  const server = http.createServer(
    {
      requestTimeout: config.timeoutMs + HEADERS_TIMEOUT_MS,
      headersTimeout: HEADERS_TIMEOUT_MS,
      // Every response carries Express's helpers on its prototype from birth (see asFunctionResponse).
      ServerResponse: FunctionResponse,
    },
    onRequest,
  );
  server.keepAliveTimeout = 65_000;
  server.on('checkContinue', onCheckContinue);

  return {
    server,
    recoverStopped: () => {
      const call = running;
      if (call === undefined) return;
      running = undefined;
      tracker.leave();
      call.stopped();
    },
    drain: () =>
      new Promise<void>((resolve) => {
        draining = true;
        server.close();
        server.closeIdleConnections();
        if (inFlight === 0) resolve();
        else drained = resolve;
      }),
  };
}
