// `Warning` response headers (RFC 7234 `299 - "text"`), which kube-apiserver, admission webhooks
// and the local platform use to say "accepted, but…". kubectl prints them; so does the CLI.

/** The texts of every Warning header line in `rawHeaders` (Node's name/value list). */
export function warningsOf(rawHeaders: string[]): string[] {
  const texts: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'warning') continue;
    const text = warningText(rawHeaders[i + 1]!);
    if (text) texts.push(text);
  }
  return texts;
}

/** `299 - "a \"quoted\" text"` → `a "quoted" text`; a value of another form is returned as it is. */
export function warningText(value: string): string {
  const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(value.trim());
  return m ? m[1]!.replace(/\\(.)/g, '$1') : value.trim();
}
