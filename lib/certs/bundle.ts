import { X509Certificate } from 'node:crypto';

/** What the rotation logic needs to know about one certificate. */
export interface CertInfo {
  pem: string;
  notBefore: Date;
  notAfter: Date;
  fingerprint: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function splitPem(text: string): string[] {
  return (text.match(PEM_BLOCK) ?? []).map((block) => `${block}\n`);
}

export function certInfo(pem: string): CertInfo {
  const x = new X509Certificate(pem);
  return {
    pem: x.toString(),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    fingerprint: x.fingerprint256,
  };
}

/**
 * True once `fraction` of the certificate's lifetime has passed. Rotating at 2/3 leaves a third of
 * the lifetime for the new CA to reach every client while the old certificate is still valid.
 */
export function rotationDue(
  cert: Pick<CertInfo, 'notBefore' | 'notAfter'>,
  now: Date,
  fraction: number,
): boolean {
  const start = cert.notBefore.getTime();
  const lifetime = cert.notAfter.getTime() - start;
  return now.getTime() >= start + lifetime * fraction;
}

/**
 * The CA bundle to publish: every CA already trusted plus the new one, with expired and duplicate
 * certificates dropped. Old CAs stay until they expire so that a server still presenting a
 * certificate they signed keeps being trusted during the switch.
 */
export function mergeBundle(bundles: string[], now: Date): string {
  const seen = new Set<string>();
  const kept: CertInfo[] = [];
  for (const pem of bundles.flatMap(splitPem)) {
    const info = certInfo(pem);
    if (seen.has(info.fingerprint) || info.notAfter.getTime() <= now.getTime()) continue;
    seen.add(info.fingerprint);
    kept.push(info);
  }
  // Newest first, so a reader that takes only the first block gets the current CA.
  kept.sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime());
  return kept.map((c) => c.pem).join('');
}

/** Whether `bundle` already trusts every certificate in `required`. */
export function bundleCovers(bundle: string, required: string): boolean {
  const have = new Set(splitPem(bundle).map((p) => certInfo(p).fingerprint));
  return splitPem(required).every((p) => have.has(certInfo(p).fingerprint));
}

/** The material stored in the Secret (the keys follow kubernetes.io/tls and cert-manager). */
export interface CertMaterial {
  /** Serving certificate and key. */
  tlsCert: string;
  tlsKey: string;
  /** Every CA clients should trust right now (newest first). */
  caBundle: string;
  /** The CA that signs serving certificates; absent in cert-manager and files modes. */
  caCert?: string;
  caKey?: string;
}

export type RotationPlan = { action: 'create' } | { action: 'rotate'; reason: string } | { action: 'keep' };

/** Decide what to do with the stored material; pure so it can be tested at any date. */
export function planRotation(
  material: CertMaterial | undefined,
  now: Date,
  fraction: number,
  requiredHosts: string[],
): RotationPlan {
  if (!material || !material.caCert || !material.caKey) return { action: 'create' };
  let serving: X509Certificate;
  try {
    serving = new X509Certificate(material.tlsCert);
  } catch {
    return { action: 'rotate', reason: 'stored serving certificate does not parse' };
  }
  const info = { notBefore: new Date(serving.validFrom), notAfter: new Date(serving.validTo) };
  if (rotationDue(info, now, fraction)) {
    return {
      action: 'rotate',
      reason: `serving certificate reached ${Math.round(fraction * 100)}% of its lifetime`,
    };
  }
  const missing = requiredHosts.filter((h) => !hostCovered(serving, h));
  if (missing.length > 0)
    return { action: 'rotate', reason: `serving certificate lacks ${missing.join(', ')}` };
  if (!bundleCovers(material.caBundle, material.caCert)) {
    return { action: 'rotate', reason: 'CA bundle does not contain the signing CA' };
  }
  return { action: 'keep' };
}

function hostCovered(cert: X509Certificate, host: string): boolean {
  return /^[\d.]+$|:/.test(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host) !== undefined;
}
