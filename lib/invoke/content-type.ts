// The content type a function receives when the caller sent none. `kubectl create --raw ... -f
// body.json` (and other raw clients) send a body without Content-Type, so a JSON document reached
// functions as bytes (event.data.x undefined). The rule, one for both platforms' invoke proxies:
// a body without a content type that parses as JSON is delivered as application/json; any other
// body goes on without one (the runtimes hand it over as bytes).
import type { IncomingHttpHeaders } from 'node:http';

export const JSON_CONTENT_TYPE = 'application/json';

/** Whether the request carries a body and no content type, so the proxy must look at the body. */
export function needsContentType(headers: IncomingHttpHeaders): boolean {
  if (headers['content-type'] !== undefined && headers['content-type'] !== '') return false;
  const length = headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return headers['transfer-encoding'] !== undefined;
}

/** application/json for a body that is one JSON value; undefined otherwise. */
export function sniffContentType(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  try {
    JSON.parse(body.toString('utf8'));
    return JSON_CONTENT_TYPE;
  } catch {
    return undefined;
  }
}
