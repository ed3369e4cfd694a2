// Downloads a `url` content with a byte cap and a deadline: a Function must not be able to make
// the platform buffer an unbounded body or hang on a server that never answers.
import { PrepareError } from './errors.js';

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: 50 * 1024 * 1024, timeoutMs: 30_000 };

export async function fetchContent(url: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS): Promise<Buffer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (err) {
      const why = controller.signal.aborted
        ? `no answer within ${limits.timeoutMs} ms`
        : (err as Error).message;
      throw new PrepareError(
        'FetchFailed',
        `fetching ${url} failed: ${why}; check that the URL is reachable`,
      );
    }
    if (!res.ok) {
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
