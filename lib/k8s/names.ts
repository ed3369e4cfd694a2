// Kubernetes name rules, written once: DNS-1123 labels (namespaces), DNS-1123 subdomains (most
// object names), DNS-1035 labels (names that become Service names), and the rule kube-apiserver
// applies to any name or namespace that appears as one segment of a URL path. Pure.

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
export const DNS1123_LABEL = new RegExp(`^${LABEL}$`);
export const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(value);
}

export function isDns1035Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1035_LABEL.test(value);
}

/**
 * Why `value` cannot be one segment of a URL path, as kube-apiserver words it ("may not be
 * '..'"), or undefined when it can. A value that decodes to several segments (`a%2Fb`) is
 * reported too: kube-apiserver's router never sees it as one.
 */
export function pathSegmentProblem(value: string): string | undefined {
  if (value === '') return 'may not be empty';
  if (value === '.' || value === '..') return `may not be '${value}'`;
  for (const c of ['/', '%']) if (value.includes(c)) return `may not contain '${c}'`;
  // A NUL would cut a file name short in the C library below Node's fs calls.
  if (value.includes('\0')) return 'may not contain a NUL byte';
  return undefined;
}

/** The namespace rule of kube-apiserver (a DNS-1123 label), with the message and the fix. */
export function namespaceProblem(value: string): string | undefined {
  if (isDns1123Label(value)) return undefined;
  return `${JSON.stringify(value)} is not a valid namespace: use at most ${DNS1123_LABEL_MAX} lower-case letters, digits and '-', starting and ending with a letter or digit (e.g. "default")`;
}
