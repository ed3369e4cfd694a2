// Issue 18, item 7: code fetched from a URL. The real `kubeless prepare` (the function pod's
// init step) against real HTTPS and HTTP servers on 127.0.0.1, trusting a test CA the way a pod
// trusts its system CAs (NODE_EXTRA_CA_CERTS). Before the fix it fetched http:// and followed
// redirects anywhere, and said nothing about a missing checksum.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { desiredConfigMap } from '../../controller/desired/configmap.js';
import type { KubelessFunction } from '../../controller/model.js';
import { DEFAULT_CATALOG, findRuntime } from '../../lib/catalog.js';
import { createCa, createServingCert } from '../../lib/certs/index.js';
import { sha256Checksum } from '../../lib/function/checksum.js';
import { resolveWith } from '../helpers/resolve-with.js';

jest.setTimeout(60_000);

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../..');
const runtime = findRuntime(DEFAULT_CATALOG, 'nodejs22')!;
const CODE = 'module.exports.f = () => "from a URL";\n';

let work: string;
let caFile: string;
let https: Server;
let http: Server;
let httpsBase = '';
let httpBase = '';

function listen(s: Server): Promise<string> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(String((s.address() as AddressInfo).port))));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'kl-sec-url-'));
  const now = new Date();
  const ca = createCa({ commonName: 'sec-test-ca', notBefore: now, lifetimeMs: 3_600_000 });
  const cert = createServingCert({
    ca,
    commonName: 'localhost',
    hosts: ['127.0.0.1'],
    notBefore: now,
    lifetimeMs: 3_600_000,
  });
  caFile = path.join(work, 'ca.crt');
  writeFileSync(caFile, ca.cert);
  http = createHttp((req, res) => {
    if (req.url === '/code.js') res.end(CODE);
    else res.writeHead(404).end();
  });
  httpBase = `http://127.0.0.1:${await listen(http)}`;
  https = createHttps({ cert: cert.cert, key: cert.key }, (req, res) => {
    const url = req.url ?? '';
    if (url === '/code.js') return void res.end(CODE);
    if (url === '/to-http') return void res.writeHead(302, { location: `${httpBase}/code.js` }).end();
    if (url === '/moved') return void res.writeHead(301, { location: '/code.js' }).end();
    if (url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(404).end();
  });
  httpsBase = `https://127.0.0.1:${await listen(https)}`;
});

afterAll(async () => {
  await Promise.all([new Promise((r) => https?.close(r)), new Promise((r) => http?.close(r))]);
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  target: string;
}

/** Mounts the ConfigMap the controller makes for a URL Function and runs prepare over it. */
async function prepare(url: string, opts: { checksum?: string; args?: string[] } = {}): Promise<Run> {
  const fn = {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'remote', namespace: 'team-a', uid: 'u' },
    spec: {
      runtime: runtime.id,
      handler: 'code.f',
      function: url,
      'function-content-type': 'url',
      ...(opts.checksum ? { checksum: opts.checksum } : {}),
    },
  } as KubelessFunction;
  const source = mkdtempSync(path.join(work, 'source-'));
  const target = mkdtempSync(path.join(work, 'target-'));
  for (const [key, value] of Object.entries(desiredConfigMap(resolveWith(fn, runtime)).data ?? {}))
    writeFileSync(path.join(source, key), value);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(here, 'fixtures/prepare-entry.ts'),
      'prepare',
      '--source',
      source,
      '--target',
      target,
      ...(opts.args ?? []),
    ],
    {
      cwd: root,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, KUBELESS_RUNTIME: JSON.stringify(runtime) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  return { code, stdout, stderr, target };
}

const written = (r: Run) => readFileSync(path.join(r.target, 'code.js'), 'utf8');

describe('kubeless prepare and URL sources', () => {
  test('https with a matching checksum: the code is written, no warning', async () => {
    const r = await prepare(`${httpsBase}/code.js`, { checksum: sha256Checksum(Buffer.from(CODE)) });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(written(r)).toBe(CODE);
    expect(r.stdout).not.toContain('"level":"warn"');
  });

  test('https without a checksum: written, and the log warns loudly', async () => {
    const r = await prepare(`${httpsBase}/code.js`);
    expect(r.code).toBe(0);
    const warn = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: string; warning?: string })
      .find((l) => l.level === 'warn');
    expect(warn?.warning).toMatch(/downloaded from https:\/\/127.0.0.1:\d+\/code.js with no spec.checksum/);
  });

  test('plain http is refused, saying why and how an operator allows it', async () => {
    const r = await prepare(`${httpBase}/code.js`);
    expect(r.code).toBe(1);
    const line = JSON.parse(r.stderr.trim().split('\n').at(-1) ?? '{}') as { reason: string; error: string };
    expect(line.reason).toBe('FetchFailed');
    expect(line.error).toMatch(/is plain http: nothing protects the download/);
    expect(line.error).toContain('functionPolicy.allowHttpSources');
  });

  test('plain http is fetched when the operator allowed it (--allow-http, from functionPolicy.allowHttpSources)', async () => {
    const r = await prepare(`${httpBase}/code.js`, { args: ['--allow-http'] });
    expect(r.code).toBe(0);
    expect(written(r)).toBe(CODE);
  });

  test('a redirect from https to http is refused; one to https is followed', async () => {
    const down = await prepare(`${httpsBase}/to-http`);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/redirected to http:\/\/127.0.0.1:\d+\/code.js, which is refused/);
    const moved = await prepare(`${httpsBase}/moved`);
    expect(moved.code).toBe(0);
    expect(written(moved)).toBe(CODE);
  });

  test('redirects stop after 5 hops', async () => {
    const r = await prepare(`${httpsBase}/loop`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/more than 5 redirects/);
  });
});
