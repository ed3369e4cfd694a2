// up.sh kept a state directory's certificates when the cluster's addresses changed: the serving
// certificate then lacked the new address and up.sh waited 120 s for /readyz, saying only
// "timed out". pki.sh issues it again when the addresses it names differ.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'pki-addresses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pki(nsAddr: string): string {
  const r = spawnSync('bash', [resolve('test/cluster/pki.sh')], {
    encoding: 'utf8',
    env: { ...process.env, KUBELESS_E2E_DIR: dir, KUBELESS_E2E_NS_ADDR: nsAddr },
  });
  if (r.status !== 0) throw new Error(`pki.sh failed: ${r.stderr}`);
  return r.stderr;
}

const sans = (): string =>
  execFileSync(
    'openssl',
    ['x509', '-noout', '-ext', 'subjectAltName', '-in', join(dir, 'pki', 'apiserver.crt')],
    {
      encoding: 'utf8',
    },
  );

describe('test/cluster/pki.sh', () => {
  it('issues the serving certificate again when the cluster address changed, and only then', () => {
    pki('10.231.0.2');
    expect(sans()).toContain('IP Address:10.231.0.2');
    const ca = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-in', join(dir, 'pki', 'ca.crt')]);
    expect(pki('10.231.0.2')).not.toContain('again');
    const said = pki('10.232.0.2');
    expect(said).toContain('issuing the kube-apiserver certificate again');
    expect(sans()).toContain('IP Address:10.232.0.2');
    expect(sans()).not.toContain('10.231.0.2');
    // Everything else, the CA first, is kept: clients that trust it keep working.
    expect(
      execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-in', join(dir, 'pki', 'ca.crt')]),
    ).toEqual(ca);
  }, 60_000);
});
