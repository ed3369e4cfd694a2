// Test certificates: a CA, a serving certificate for 127.0.0.1 and a client certificate, so the
// CLI's kubeconfig TLS settings meet a real TLS handshake with client authentication.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface TestPki {
  ca: string;
  server: { cert: string; key: string };
  client: { cert: string; key: string };
}

function key(): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
}

function issue(
  cn: string,
  issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | undefined,
  extensions: object[],
  serial: string,
): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const k = key();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(k.n, k.e);
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3600_000);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : [{ name: 'commonName', value: cn }]);
  cert.setExtensions(extensions);
  cert.sign(issuer?.key ?? k, forge.md.sha256.create());
  return { cert, key: k };
}

export function makePki(): TestPki {
  const ca = issue(
    'kubeless-test-ca',
    undefined,
    [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, critical: true },
    ],
    '01',
  );
  const server = issue(
    'kube-apiserver',
    ca,
    [
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
    '02',
  );
  const client = issue('alice', ca, [{ name: 'extKeyUsage', clientAuth: true }], '03');
  const pem = (p: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey }) => ({
    cert: forge.pki.certificateToPem(p.cert),
    key: forge.pki.privateKeyToPem(p.key),
  });
  return { ca: forge.pki.certificateToPem(ca.cert), server: pem(server), client: pem(client) };
}
