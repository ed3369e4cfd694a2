// When a call that failed on the way to a function is sent once more, on a new connection.
//
// A kept socket can be closed by the function's side at the very moment a request is written on
// it: the runtime closes its idle connections when it drains for shutdown (a rollout, a scale
// down) or at its keep-alive timeout, and the request meets a reset or an end of stream. Such a
// request never reached the function's code, and mature proxies send it again on a new
// connection (Go's Transport, HAProxy's connection reuse, Envoy's reset-before-request). We do
// the same, once, when all of this holds:
// - the socket had carried an earlier call (a new connection that fails is a real failure);
// - not one byte of the answer arrived;
// - the failure is the connection going away (reset, end of stream, broken pipe);
// - the body can be sent again: it was read whole before sending (no body, or a small one).
// The one case that could run the code twice is a function process that dies in the middle of a
// call on a kept connection without answering; the call fails anyway there, and the retry goes to
// a process that is alive (or fails to connect, and becomes a 503).

// UND_ERR_SOCKET is undici's "other side closed": the server ended the connection.
const CONNECTION_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

export interface AttemptFailure {
  /** Node's error code of the failure. */
  code: string | undefined;
  /** The request went out on a socket that had served an earlier call. */
  reusedSocket: boolean;
  /** Some of the answer had arrived. */
  answered: boolean;
  /** The body is in memory and can be written again. */
  replayable: boolean;
  /** Attempts made so far, this one included. */
  attempt: number;
}

export function shouldRetry(f: AttemptFailure): boolean {
  return (
    f.attempt === 1 &&
    f.reusedSocket &&
    !f.answered &&
    f.replayable &&
    f.code !== undefined &&
    CONNECTION_GONE.has(f.code)
  );
}
