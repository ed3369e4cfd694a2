// Who the front proxy says the caller is (authentication reads it; the invoke proxy drops these
// headers: lib/invoke/headers.ts).
export interface Identity {
  user: string;
  groups: string[];
  extra: Record<string, string[]>;
}

export interface RequestHeaderConfig {
  usernameHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

/** The user the front proxy vouches for; undefined when no username header is set. */
export function identityFromHeaders(
  headers: Record<string, string[] | undefined>,
  config: RequestHeaderConfig,
): Identity | undefined {
  // Distinct header lines, not Node's comma-joined view: kube-apiserver sends one line per group
  // and per extra value, and a group name may itself contain a comma.
  const lines = (name: string): string[] => headers[name.toLowerCase()] ?? [];
  const user = config.usernameHeaders.map((h) => lines(h)[0]).find((v) => v);
  if (!user) return undefined;
  const groups = config.groupHeaders.flatMap(lines);
  const extra: Record<string, string[]> = {};
  for (const prefix of config.extraHeaderPrefixes) {
    const p = prefix.toLowerCase();
    for (const [k, v] of Object.entries(headers)) {
      if (!k.startsWith(p) || v === undefined) continue;
      let key: string;
      try {
        key = decodeURIComponent(k.slice(p.length)).toLowerCase();
      } catch {
        key = k.slice(p.length);
      }
      extra[key] = [...(extra[key] ?? []), ...v];
    }
  }
  return { user, groups, extra };
}
