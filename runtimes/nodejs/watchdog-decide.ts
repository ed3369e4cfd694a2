export type Verdict = { kind: 'ok' } | { kind: 'stuck-call'; fd: number } | { kind: 'blocked-loop' };

/**
 * A synchronous call past its timeout is answered on its own socket; a loop blocked elsewhere
 * (say, an async handler's continuation spinning) for longer than a timeout plus slack has no
 * single call to blame, so only the restart applies.
 */
export function decide(
  now: number,
  callStart: number,
  heartbeat: number,
  fd: number,
  timeoutMs: number,
): Verdict {
  if (callStart > 0 && now - callStart > timeoutMs) return { kind: 'stuck-call', fd };
  if (now - heartbeat > timeoutMs + 1000) return { kind: 'blocked-loop' };
  return { kind: 'ok' };
}

export function timeoutResponse(timeoutMs: number): string {
  const body = JSON.stringify({
    error: `the function did not answer within its timeout of ${timeoutMs / 1000}s; raise the Function's timeout or make the handler faster`,
  });
  return (
    'HTTP/1.1 408 Request Timeout\r\n' +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}
