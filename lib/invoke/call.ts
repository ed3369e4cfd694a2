// One call a platform makes to a function on its own behalf (a CronJobTrigger firing, a Kafka
// delivery): the body in memory, the answer read up to a size, a deadline and an abort signal.
// Same connections and retry rule as the invoke proxy.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Address, FunctionConnections } from './connections.js';
import { sendToFunction } from './send.js';

export interface PlatformCall {
  method: string;
  /** Path and query the function sees. */
  path: string;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export interface CallLimits {
  timeoutMs: number;
  /** The answer's body is kept up to this many bytes; the rest is read and dropped. */
  maxAnswerBytes: number;
  signal?: AbortSignal;
}

export interface CallAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** `TIMEOUT` past the deadline, `ABORTED` when the signal fired, else Node's connection error code. */
export function callFunction(
  connections: FunctionConnections,
  address: Address,
  call: PlatformCall,
  limits: CallLimits,
): Promise<CallAnswer> {
  return new Promise((resolve, reject) => {
    let answer: CallAnswer | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let stopped: Error | undefined;
    let settled = false;
    // Set once the call is under way: a call undici refuses at once settles inside sendToFunction.
    let stopDeadline = (): void => undefined;
    const settle = (): void => {
      settled = true;
      stopDeadline();
      limits.signal?.removeEventListener('abort', onAbort);
    };
    const inFlight = sendToFunction(
      connections,
      address,
      {
        method: call.method,
        path: call.path,
        headers: { ...call.headers, 'content-length': String(call.body.length) },
        body: call.body,
      },
      {
        head(status, _message, headers) {
          answer = { status, headers, body: Buffer.alloc(0) };
        },
        data(chunk) {
          if (size < limits.maxAnswerBytes) chunks.push(chunk.subarray(0, limits.maxAnswerBytes - size));
          size += chunk.length;
          return true;
        },
        end() {
          settle();
          resolve({ ...answer!, body: Buffer.concat(chunks) });
        },
        error(err) {
          settle();
          reject(stopped ?? err);
        },
      },
    );
    const stop = (code: string, message: string): void => {
      stopped = Object.assign(new Error(message), { code });
      inFlight.destroy(stopped);
    };
    function onAbort(): void {
      stop('ABORTED', 'the call was abandoned');
    }
    if (settled) return;
    const timer = setTimeout(
      () => stop('TIMEOUT', `no answer within ${limits.timeoutMs} ms`),
      limits.timeoutMs,
    );
    stopDeadline = () => clearTimeout(timer);
    if (limits.signal?.aborted) onAbort();
    else limits.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
