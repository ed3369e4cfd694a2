// kubeconfig credentials meet a real TLS handshake: CA pinning, client certificates, bearer tokens.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { assertBuilt, kubeless, writeKubeconfig } from './run.js';
import { StandinApi } from './standin-api.js';
import { makePki, type TestPki } from './tls.js';

jest.setTimeout(60_000);

describe('kubeless over TLS', () => {
  let pki: TestPki;
  let api: StandinApi;
  let dir: string;

  beforeAll(async () => {
    assertBuilt();
    pki = makePki();
    api = new StandinApi({ tls: { ...pki.server, ca: pki.ca }, token: 'tok-123' });
    await api.start();
    dir = mkdtempSync(join(tmpdir(), 'kubeless-cli-tls-'));
  });

  afterAll(async () => {
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the server with the kubeconfig CA and presents the client certificate and token', async () => {
    const file = join(dir, 'good');
    writeKubeconfig(file, { server: api.url, ca: pki.ca, clientCert: pki.client, token: 'tok-123' });
    const list = await kubeless(['fn', 'list', '--kubeconfig', file, '-n', 'prod']);
    expect(list).toEqual({ code: 0, stdout: '', stderr: 'no functions found in namespace "prod"\n' });
    const seen = api.requests.at(-1);
    expect(seen).toMatchObject({
      method: 'GET',
      url: '/apis/kubeless.io/v1beta1/namespaces/prod/functions',
      authorization: 'Bearer tok-123',
      clientCertCN: 'alice',
    });
  });

  it('explains a wrong token with the kubeconfig context to fix', async () => {
    const file = join(dir, 'badtoken');
    writeKubeconfig(file, { server: api.url, ca: pki.ca, clientCert: pki.client, token: 'wrong' });
    const list = await kubeless(['fn', 'list', '--kubeconfig', file]);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain(
      'unauthorized (401): Unauthorized; check the user of context "test" in your kubeconfig',
    );
  });

  it('refuses a server whose certificate the kubeconfig does not trust', async () => {
    const file = join(dir, 'noca');
    writeKubeconfig(file, { server: api.url, clientCert: pki.client, token: 'tok-123' });
    const list = await kubeless(['fn', 'list', '--kubeconfig', file]);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(
      /^error: TLS handshake with https:\/\/127\.0\.0\.1:\d+ failed \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN):/,
    );
    expect(list.stderr).toContain('check certificate-authority(-data)');
  });
});

describe('kubeless function deploy --from-file <url>', () => {
  it('downloads the code once to checksum it and stores the URL', async () => {
    const code = "module.exports = { h: () => 'from a URL' };\n";
    const server = http.createServer((req, res) => {
      if (req.url === '/fn/remote.js') res.end(code);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ok = await kubeless([
        'fn',
        'deploy',
        'remote',
        '-r',
        'nodejs20',
        '--handler',
        'remote.h',
        '-f',
        `${url}/fn/remote.js`,
        '--dryrun',
      ]);
      expect(ok.code).toBe(0);
      const spec = (parse(ok.stdout) as { spec: Record<string, string> }).spec;
      expect(spec.function).toBe(`${url}/fn/remote.js`);
      expect(spec['function-content-type']).toBe('url');
      expect(spec.checksum).toBe(`sha256:${createHash('sha256').update(code).digest('hex')}`);
      const missing = await kubeless([
        'fn',
        'deploy',
        'remote',
        '-r',
        'nodejs20',
        '--handler',
        'remote.h',
        '-f',
        `${url}/nope.js`,
        '--dryrun',
      ]);
      expect(missing).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: cannot download --from-file ${url}/nope.js: HTTP 404; check the URL\n`,
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
