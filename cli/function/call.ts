export interface CallFlags {
  data?: string;
  method?: string;
  header?: string[];
}

export interface CallPlan {
  method: string;
  body?: string;
  headers: Record<string, string>;
}

const METHOD_RE = /^[A-Za-z]+$/;

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The HTTP request `kubeless function call` sends: POST when there is data (GET otherwise), as
 * the original Kubeless did; JSON data is labelled application/json so the runtime parses it.
 */
export function callRequest(flags: CallFlags): CallPlan {
  const method = (flags.method ?? (flags.data !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!METHOD_RE.test(method))
    throw new Error(`invalid --method "${flags.method}": give an HTTP method such as GET or POST`);
  const headers: Record<string, string> = {};
  for (const h of flags.header ?? []) {
    const colon = h.indexOf(':');
    const name = colon > 0 ? h.slice(0, colon).trim() : '';
    if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new Error(`invalid --header "${h}": write "Name: value", e.g. --header "X-Request-Id: 42"`);
    }
    headers[name] = h.slice(colon + 1).trim();
  }
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (flags.data !== undefined && !hasType) {
    headers['Content-Type'] = looksLikeJson(flags.data) ? 'application/json' : 'text/plain; charset=utf-8';
  }
  return { method, body: flags.data, headers };
}
