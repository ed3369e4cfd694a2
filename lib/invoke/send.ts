// Sends one request to a function's address and streams its answer into a sink, retrying once on
// a new connection when a kept socket went away under it (retry.ts). undici's dispatch API: the
// answer's head and chunks arrive as calls, with no stream objects in between.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { Address, FunctionConnections, Lease } from './connections.js';
import { shouldRetry } from './retry.js';

export interface FunctionRequest {
  method: string;
  /** Path and query the function sees. */
  path: string;
  headers: OutgoingHttpHeaders;
  /**
   * A Buffer is sent whole and can be sent again; a stream is sent once, on a connection of its
   * own (it cannot be replayed, so it must not meet a kept socket that may be closing).
   */
  body: Buffer | Readable | undefined;
}

/** Where the answer goes. */
export interface AnswerSink {
  head(status: number, statusMessage: string | undefined, headers: IncomingHttpHeaders): void;
  /** false: the sink is full; the call pauses until `InFlight.resume()`. */
  data(chunk: Buffer): boolean;
  end(): void;
  /** The call failed (before or during the answer); `code` says how. Called at most once, never after end. */
  error(err: NodeJS.ErrnoException): void;
}

export interface InFlight {
  /** Stops the call (a deadline, a caller that left): the attempt is aborted, none follows. */
  destroy(err: NodeJS.ErrnoException): void;
  /** Continues an answer paused by a full sink. */
  resume(): void;
}

export interface SendHooks {
  /** Told when a call is sent again on a new connection, with the failure's code. */
  onRetry?(code: string | undefined): void;
}

type Controller = Dispatcher.DispatchController;

export function sendToFunction(
  connections: FunctionConnections,
  address: Address,
  request: FunctionRequest,
  sink: AnswerSink,
  hooks: SendHooks = {},
): InFlight {
  let controller: Controller | undefined;
  let stopped: NodeJS.ErrnoException | undefined;
  let settled = false;
  const replayable = request.body === undefined || Buffer.isBuffer(request.body);
  const settle = (err?: NodeJS.ErrnoException): void => {
    if (settled) return;
    settled = true;
    if (err) sink.error(err);
    else sink.end();
  };

  const dispatch = (lease: Lease, attempt: number): void => {
    let answered = false;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (stopped) c.abort(stopped);
      },
      onResponseStart(_c, status, headers, statusMessage) {
        // 1xx (100 Continue) are not the answer.
        if (status < 200) return;
        answered = true;
        sink.head(status, statusMessage, headers as IncomingHttpHeaders);
      },
      onResponseData(c, chunk) {
        if (!settled && !sink.data(chunk)) c.pause();
      },
      onResponseEnd() {
        lease.release();
        settle();
      },
      onResponseError(_c, err) {
        lease.release();
        const e = err as NodeJS.ErrnoException;
        if (stopped) return settle(stopped);
        if (shouldRetry({ code: e.code, reusedSocket: lease.reused, answered, replayable, attempt })) {
          // The other kept connections to this address are likely closing as well.
          connections.dropIdle(address);
          hooks.onRetry?.(e.code);
          dispatch(connections.fresh(address), attempt + 1);
          return;
        }
        settle(e);
      },
    };
    try {
      lease.client.dispatch(
        {
          method: request.method as Dispatcher.HttpMethod,
          path: request.path,
          headers: request.headers as Record<string, string | string[]>,
          body: request.body ?? null,
        },
        handler,
      );
    } catch (err) {
      // An argument undici refuses (a header value, a path): nothing was sent.
      lease.release();
      settle(err as NodeJS.ErrnoException);
    }
  };

  if (replayable) {
    const got = connections.lease(address);
    if (got instanceof Promise) {
      void got.then((lease) => {
        if (stopped) {
          lease.release();
          settle(stopped);
          return;
        }
        dispatch(lease, 1);
      });
    } else dispatch(got, 1);
  } else dispatch(connections.fresh(address), 1);

  return {
    destroy(err) {
      if (settled || stopped) return;
      stopped = err;
      if (controller) controller.abort(err);
    },
    resume() {
      controller?.resume();
    },
  };
}
