import type { CertMaterial } from './bundle.js';

/** Secret keys: kubernetes.io/tls plus `ca.crt` (what cert-manager writes) plus our CA signing pair. */
export const SECRET_KEYS = {
  tlsCert: 'tls.crt',
  tlsKey: 'tls.key',
  caBundle: 'ca.crt',
  caCert: 'ca-signer.crt',
  caKey: 'ca-signer.key',
} as const;

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

export function materialToSecretData(m: CertMaterial): Record<string, string> {
  const data: Record<string, string> = {
    [SECRET_KEYS.tlsCert]: b64(m.tlsCert),
    [SECRET_KEYS.tlsKey]: b64(m.tlsKey),
    [SECRET_KEYS.caBundle]: b64(m.caBundle),
  };
  if (m.caCert) data[SECRET_KEYS.caCert] = b64(m.caCert);
  if (m.caKey) data[SECRET_KEYS.caKey] = b64(m.caKey);
  return data;
}

/** Undefined when the Secret lacks the serving pair (for example, created empty by the chart). */
export function materialFromSecretData(data: Record<string, string> | undefined): CertMaterial | undefined {
  const get = (k: string): string | undefined => (data?.[k] ? unb64(data[k]) : undefined);
  const tlsCert = get(SECRET_KEYS.tlsCert);
  const tlsKey = get(SECRET_KEYS.tlsKey);
  if (!tlsCert || !tlsKey) return undefined;
  return {
    tlsCert,
    tlsKey,
    caBundle: get(SECRET_KEYS.caBundle) ?? '',
    caCert: get(SECRET_KEYS.caCert),
    caKey: get(SECRET_KEYS.caKey),
  };
}
