// Downloads a `url` content with a byte cap and a deadline: a Function must not be able to make
// the platform buffer an unbounded body or hang on a server that never answers. Only https
// (unless the operator allows http), and redirects are followed by hand so each hop is checked
// the same way and there are at most `maxRedirects` of them.
import { urlSchemeProblem } from '../policy/source.js';
import { PrepareError } from './errors.js';

export interface FetchLimits {
  maxBytes: number;
  /** For the whole download, redirects included. */
  timeoutMs: number;
  maxRedirects?: number;
  /** Plain http:// sources and redirects (the operator's functionPolicy.allowHttpSources). */
  allowHttp?: boolean;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  maxBytes: 50 * 1024 * 1024,
  timeoutMs: 30_000,
  maxRedirects: 5,
  allowHttp: false,
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function checkScheme(url: string, limits: FetchLimits, via?: string): void {
  const problem = urlSchemeProblem(url, limits.allowHttp ?? false);
  if (!problem) return;
  const hop = via ? `${via} redirected to ${url}, which is refused: ` : '';
  throw new PrepareError('FetchFailed', `${hop}${problem.message}; ${problem.fix}`);
}

async function follow(start: string, limits: FetchLimits, signal: AbortSignal): Promise<Response> {
  const maxRedirects = limits.maxRedirects ?? DEFAULT_FETCH_LIMITS.maxRedirects!;
  let url = start;
  checkScheme(url, limits);
  for (let hops = 0; ; hops += 1) {
    const res = await fetch(url, { signal, redirect: 'manual' });
    if (!REDIRECTS.has(res.status)) return res;
    await res.body?.cancel();
    const location = res.headers.get('location');
    if (!location) {
      throw new PrepareError(
        'FetchFailed',
        `${url} answered HTTP ${res.status} without a Location to follow`,
      );
    }
    if (hops + 1 > maxRedirects) {
      throw new PrepareError(
        'FetchFailed',
        `fetching ${start} took more than ${maxRedirects} redirects (the last to ${location}); point spec.function at the final URL`,
      );
    }
    const next = new URL(location, url).toString();
    checkScheme(next, limits, url);
    url = next;
  }
}

export async function fetchContent(url: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS): Promise<Buffer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    let res: Response;
    try {
      res = await follow(url, limits, controller.signal);
    } catch (err) {
      if (err instanceof PrepareError) throw err;
      const why = controller.signal.aborted
        ? `no answer within ${limits.timeoutMs} ms`
        : (err as Error).message;
      throw new PrepareError(
        'FetchFailed',
        `fetching ${url} failed: ${why}; check that the URL is reachable`,
      );
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new PrepareError(
        'FetchFailed',
        `fetching ${url} answered HTTP ${res.status}; check the URL in spec.function`,
      );
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > limits.maxBytes) {
      await res.body?.cancel();
      throw tooLarge(url, limits.maxBytes);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    if (res.body) {
      try {
        for await (const chunk of res.body) {
          total += chunk.byteLength;
          if (total > limits.maxBytes) {
            controller.abort();
            throw tooLarge(url, limits.maxBytes);
          }
          chunks.push(Buffer.from(chunk));
        }
      } catch (err) {
        if (err instanceof PrepareError) throw err;
        const why = controller.signal.aborted
          ? `no complete body within ${limits.timeoutMs} ms`
          : (err as Error).message;
        throw new PrepareError('FetchFailed', `fetching ${url} failed: ${why}`);
      }
    }
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
  }
}

function tooLarge(url: string, max: number): PrepareError {
  return new PrepareError(
    'TooLarge',
    `${url} is larger than ${max} bytes; publish a smaller archive or move dependencies to spec.deps`,
  );
}
