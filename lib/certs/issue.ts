import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/** A PEM certificate with its PEM private key. */
export interface KeyPair {
  cert: string;
  key: string;
}

export interface CaOptions {
  commonName: string;
  notBefore: Date;
  lifetimeMs: number;
}

export interface ServingOptions {
  ca: KeyPair;
  commonName: string;
  /** DNS names and IP addresses; each becomes a subjectAltName of the right type. */
  hosts: string[];
  notBefore: Date;
  lifetimeMs: number;
}

// Keys come from node:crypto (native, ~50 ms) because forge's pure-JS RSA takes seconds on a busy
// machine; forge is used only for the X.509 structure and signing.
function newRsaKey(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function serialNumber(): string {
  // A positive 128-bit serial: clear the top bit so DER does not read it as negative.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, notBefore: Date, lifetimeMs: number): void {
  // Back-date a little so a peer whose clock is slightly behind still accepts a fresh certificate.
  cert.validity.notBefore = new Date(notBefore.getTime() - 60_000);
  cert.validity.notAfter = new Date(notBefore.getTime() + lifetimeMs);
}

export function createCa(opts: CaOptions): KeyPair {
  const keys = newRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, opts.notBefore, opts.lifetimeMs);
  const subject = [{ name: 'commonName', value: opts.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

export function createServingCert(opts: ServingOptions): KeyPair {
  if (opts.hosts.length === 0) {
    throw new Error(
      'a serving certificate needs at least one DNS name or IP (pass --cert-host or the service name)',
    );
  }
  const caCert = forge.pki.certificateFromPem(opts.ca.cert);
  const caKey = forge.pki.privateKeyFromPem(opts.ca.key);
  const keys = newRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, opts.notBefore, opts.lifetimeMs);
  cert.setSubject([{ name: 'commonName', value: opts.commonName }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      // type 2 = dNSName, type 7 = iPAddress (RFC 5280 GeneralName tags).
      altNames: opts.hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** The names a Service `svc` in namespace `ns` is reached by from inside the cluster. */
export function serviceHosts(service: string, namespace: string, extra: string[] = []): string[] {
  const names = [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
    ...extra,
  ];
  return [...new Set(names)];
}
