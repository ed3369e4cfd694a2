// What a failed Kubernetes API call was, in one line, for logs and error messages.
import { ApiException } from '@kubernetes/client-node';

/** The HTTP status of a failed API call, or undefined for network errors. */
export function statusCode(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (err !== null && typeof err === 'object') {
    const code =
      (err as { code?: unknown; statusCode?: unknown }).statusCode ?? (err as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** A one-line description of an API error: the server's Status message when there is one. */
export function describeError(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    if (typeof body === 'string') {
      try {
        const parsed = JSON.parse(body) as { message?: string };
        if (parsed.message) return `${err.code}: ${parsed.message}`;
      } catch {
        return `${err.code}: ${body.slice(0, 300)}`;
      }
    }
    if (body !== null && typeof body === 'object' && 'message' in body) {
      return `${err.code}: ${String((body as { message: unknown }).message)}`;
    }
    return `${err.code}: ${err.message.slice(0, 300)}`;
  }
  return err instanceof Error ? err.message : String(err);
}
