import { describe, expect, test } from '@jest/globals';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import {
  certInfo,
  createCa,
  createServingCert,
  materialFromSecretData,
  materialToSecretData,
  mergeBundle,
  planRotation,
  rotationDue,
  serviceHosts,
  splitPem,
  type CertMaterial,
} from '../../../lib/certs/index.js';

const DAY = 86_400_000;
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (days: number): Date => new Date(t0.getTime() + days * DAY);

function material(
  notBefore: Date,
  lifetimeDays: number,
  hosts = serviceHosts('wh', 'kubeless'),
): CertMaterial {
  const ca = createCa({ commonName: 'test-ca', notBefore, lifetimeMs: lifetimeDays * DAY });
  const s = createServingCert({ ca, commonName: 'wh', hosts, notBefore, lifetimeMs: lifetimeDays * DAY });
  return { tlsCert: s.cert, tlsKey: s.key, caBundle: ca.cert, caCert: ca.cert, caKey: ca.key };
}

describe('issuing', () => {
  const m = material(t0, 90, serviceHosts('kubeless-webhook', 'kubeless', ['10.213.0.1']));
  const serving = new X509Certificate(m.tlsCert);
  const ca = new X509Certificate(m.caCert!);

  test('the serving certificate is signed by the CA, which is a CA and is not the server', () => {
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(serving.checkIssued(ca)).toBe(true);
    expect(ca.ca).toBe(true);
    expect(serving.ca).toBe(false);
  });

  test('it names the Service the way the apiserver dials it, and extra IPs', () => {
    for (const h of ['kubeless-webhook.kubeless.svc', 'kubeless-webhook.kubeless.svc.cluster.local']) {
      expect(serving.checkHost(h)).toBe(h);
    }
    expect(serving.checkIP('10.213.0.1')).toBe('10.213.0.1');
    expect(serving.checkHost('other.kubeless.svc')).toBeUndefined();
  });

  test('the key matches the certificate', () => {
    expect(serving.checkPrivateKey(createPrivateKey(m.tlsKey))).toBe(true);
  });

  test('validity covers the requested lifetime, back-dated for clock skew', () => {
    const info = certInfo(m.tlsCert);
    expect(info.notAfter.getTime()).toBe(at(90).getTime());
    expect(info.notBefore.getTime()).toBeLessThan(t0.getTime());
  });

  test('an empty host list is refused with a remedy', () => {
    const caPair = { cert: m.caCert!, key: m.caKey! };
    expect(() =>
      createServingCert({ ca: caPair, commonName: 'x', hosts: [], notBefore: t0, lifetimeMs: DAY }),
    ).toThrow(/--cert-host/);
  });
});

describe('rotation decisions', () => {
  const m = material(t0, 90);
  const hosts = serviceHosts('wh', 'kubeless');

  test('rotationDue turns true at the fraction of the lifetime', () => {
    const info = { notBefore: t0, notAfter: at(90) };
    expect(rotationDue(info, at(59), 2 / 3)).toBe(false);
    expect(rotationDue(info, at(60), 2 / 3)).toBe(true);
  });

  test('nothing stored, or no signer stored, means create', () => {
    expect(planRotation(undefined, t0, 2 / 3, hosts)).toEqual({ action: 'create' });
    expect(planRotation({ ...m, caKey: undefined }, t0, 2 / 3, hosts)).toEqual({ action: 'create' });
  });

  test('keep while young, rotate at 2/3 of the lifetime', () => {
    expect(planRotation(m, at(10), 2 / 3, hosts)).toEqual({ action: 'keep' });
    expect(planRotation(m, at(61), 2 / 3, hosts)).toMatchObject({
      action: 'rotate',
      reason: expect.stringMatching(/67%/),
    });
  });

  test('rotate when a required name is missing or the bundle lost the signer', () => {
    expect(planRotation(m, at(1), 2 / 3, [...hosts, '10.0.0.9'])).toMatchObject({
      reason: expect.stringMatching(/10\.0\.0\.9/),
    });
    const other = material(t0, 90);
    expect(planRotation({ ...m, caBundle: other.caCert! }, at(1), 2 / 3, hosts)).toMatchObject({
      action: 'rotate',
    });
  });
});

describe('bundles', () => {
  test('mergeBundle keeps the old CA beside the new one, newest first, without duplicates', () => {
    const old = material(t0, 90);
    const fresh = material(at(60), 90);
    const merged = mergeBundle([fresh.caCert!, old.caBundle, fresh.caCert!], at(60));
    expect(splitPem(merged).map((p) => certInfo(p).fingerprint)).toEqual([
      certInfo(fresh.caCert!).fingerprint,
      certInfo(old.caCert!).fingerprint,
    ]);
  });

  test('an expired CA is dropped', () => {
    const old = material(t0, 90);
    const fresh = material(at(60), 90);
    expect(splitPem(mergeBundle([fresh.caCert!, old.caBundle], at(91)))).toHaveLength(1);
  });
});

test('Secret data round-trips and a Secret without the serving pair reads as nothing', () => {
  const m = material(t0, 30);
  const data = materialToSecretData(m);
  expect(Object.keys(data).sort()).toEqual([
    'ca-signer.crt',
    'ca-signer.key',
    'ca.crt',
    'tls.crt',
    'tls.key',
  ]);
  expect(materialFromSecretData(data)).toEqual(m);
  expect(materialFromSecretData({ 'ca.crt': data['ca.crt']! })).toBeUndefined();
  expect(materialFromSecretData(undefined)).toBeUndefined();
});
