// Real files, real archives and a real HTTP server on 127.0.0.1: what `prepare` does in a pod.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { findRuntime, DEFAULT_CATALOG } from '../../../lib/catalog.js';
import { sha256Checksum } from '../../../lib/function/checksum.js';
import {
  DEFAULT_FETCH_LIMITS,
  materializeFunction,
  PrepareError,
  safeEntryPath,
} from '../../../lib/prepare/index.js';

const node = findRuntime(DEFAULT_CATALOG, 'nodejs20')!;
const HTTP_OK = { ...DEFAULT_FETCH_LIMITS, allowHttp: true };
const python = findRuntime(DEFAULT_CATALOG, 'python3.11')!;
const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kl-prep-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<PrepareError> {
  try {
    await p;
  } catch (err) {
    return err as PrepareError;
  }
  throw new Error('expected materializeFunction to fail');
}

/** A zip built by Python's zipfile (argv only), so entries can carry any name, even hostile ones. */
function zipOf(files: Record<string, string>): Buffer {
  const out = path.join(tmp(), 'a.zip');
  const script =
    'import sys,json,zipfile\nz=zipfile.ZipFile(sys.argv[1],"w")\nfor k,v in json.loads(sys.argv[2]).items(): z.writestr(k,v)\nz.close()';
  execFileSync('python3', ['-c', script, out, JSON.stringify(files)]);
  return readFileSync(out);
}

async function tgzOf(files: Record<string, string>): Promise<Buffer> {
  const src = tmp();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(src, name)), { recursive: true });
    writeFileSync(path.join(src, name), text);
  }
  const out = path.join(tmp(), 'a.tgz');
  await tar.c({ gzip: true, file: out, cwd: src }, Object.keys(files));
  return readFileSync(out);
}

let server: Server;
let base = '';
const served = new Map<string, Buffer>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    if (req.url === '/slow') return; // never answers
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('materializeFunction', () => {
  it('writes text code under <module><suffix> and the deps file under its catalog name', async () => {
    const dir = tmp();
    const code = 'def handler(e, c):\n  return 1\n';
    await materializeFunction({
      spec: {
        handler: 'hello.handler',
        runtime: 'python3.11',
        function: code,
        deps: 'requests==2.32.3\n',
        checksum: sha256Checksum(code),
      },
      runtime: python,
      dir,
    });
    expect(readFileSync(path.join(dir, 'hello.py'), 'utf8')).toBe(code);
    expect(readFileSync(path.join(dir, 'requirements.txt'), 'utf8')).toBe('requests==2.32.3\n');
  });

  it('decodes base64 and refuses code whose checksum differs, naming both sums', async () => {
    const dir = tmp();
    const code = 'module.exports.f = () => 1;';
    await materializeFunction({
      spec: {
        handler: 'm.f',
        runtime: 'nodejs20',
        function: Buffer.from(code).toString('base64'),
        'function-content-type': 'base64',
      },
      runtime: node,
      dir,
    });
    expect(readFileSync(path.join(dir, 'm.js'), 'utf8')).toBe(code);
    const err = await failure(
      materializeFunction({
        spec: { handler: 'm.f', runtime: 'nodejs20', function: code, checksum: sha256Checksum('other') },
        runtime: node,
        dir,
      }),
    );
    expect(err.reason).toBe('ChecksumMismatch');
    expect(err.message).toContain(sha256Checksum(code));
  });

  it('unpacks a base64 zip and a tar.gz fetched from a URL', async () => {
    const zdir = tmp();
    const zip = zipOf({ 'lib/util.js': 'u', 'index.js': 'i' });
    await materializeFunction({
      spec: {
        handler: 'index.f',
        runtime: 'nodejs20',
        function: zip.toString('base64'),
        'function-content-type': 'base64+zip',
        checksum: sha256Checksum(zip),
      },
      runtime: node,
      dir: zdir,
    });
    expect(readFileSync(path.join(zdir, 'lib/util.js'), 'utf8')).toBe('u');
    served.set('/code.tgz', await tgzOf({ 'index.js': 'tar', 'package.json': '{}' }));
    const tdir = tmp();
    await materializeFunction({
      spec: {
        handler: 'index.f',
        runtime: 'nodejs20',
        function: `${base}/code.tgz`,
        'function-content-type': 'url+compressedtar+deps',
      },
      runtime: node,
      dir: tdir,
      // The test server speaks plain http on 127.0.0.1 (test/security covers the https rule).
      fetchLimits: HTTP_OK,
    });
    expect(readFileSync(path.join(tdir, 'index.js'), 'utf8')).toBe('tar');
    expect(existsSync(path.join(tdir, 'package.json'))).toBe(true);
  });

  it('refuses zip entries that climb out of the directory', async () => {
    const dir = tmp();
    const zip = zipOf({ '../escape.js': 'x' });
    const err = await failure(
      materializeFunction({
        spec: {
          handler: 'index.f',
          runtime: 'nodejs20',
          function: zip.toString('base64'),
          'function-content-type': 'base64+zip',
        },
        runtime: node,
        dir,
      }),
    );
    expect(err).toBeInstanceOf(PrepareError);
    expect(existsSync(path.join(dir, '..', 'escape.js'))).toBe(false);
    expect(() => safeEntryPath('/k', '/etc/passwd')).toThrow(/absolute/);
  });

  it('reports a URL that answers 404, one that is too large, and one that never answers', async () => {
    const dir = tmp();
    const spec = (url: string) => ({
      handler: 'm.f',
      runtime: 'nodejs20',
      function: url,
      'function-content-type': 'url',
    });
    expect(
      (
        await failure(
          materializeFunction({ spec: spec(`${base}/missing.js`), runtime: node, dir, fetchLimits: HTTP_OK }),
        )
      ).message,
    ).toMatch(/HTTP 404/);
    served.set('/big.js', Buffer.alloc(2048, 'a'));
    const big = await failure(
      materializeFunction({
        spec: spec(`${base}/big.js`),
        runtime: node,
        dir,
        fetchLimits: { maxBytes: 1024, timeoutMs: 5000, allowHttp: true },
      }),
    );
    expect(big.reason).toBe('TooLarge');
    const slow = await failure(
      materializeFunction({
        spec: spec(`${base}/slow`),
        runtime: node,
        dir,
        fetchLimits: { maxBytes: 1024, timeoutMs: 200, allowHttp: true },
      }),
    );
    expect(slow.message).toMatch(/no answer within 200 ms/);
  });
});

describe('compressed tars: gzip, bzip2 and xz, as the original CLI named them', () => {
  /** A tar compressed by the system's tar (-z, -j, -J), the way a user builds one. */
  function tarOf(flag: string, files: Record<string, string>): Buffer {
    const src = tmp();
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(src, name), text);
    const out = path.join(tmp(), 'code.tar');
    execFileSync('tar', [`-c${flag}f`, out, '-C', src, ...Object.keys(files)]);
    return readFileSync(out);
  }

  it.each([
    ['gzip', 'z'],
    ['bzip2', 'j'],
    ['xz', 'J'],
  ])('unpacks a %s tar, inline (base64) and from a URL', async (kind, flag) => {
    const archive = tarOf(flag, { 'hello.py': 'def foo(event, context):\n    return "hello world"\n' });
    const inline = tmp();
    await materializeFunction({
      spec: {
        handler: 'hello.foo',
        runtime: 'python3.11',
        function: archive.toString('base64'),
        'function-content-type': 'base64+compressedtar',
        checksum: sha256Checksum(archive),
      },
      runtime: python,
      dir: inline,
    });
    expect(readFileSync(path.join(inline, 'hello.py'), 'utf8')).toContain('hello world');
    served.set(`/code.${kind}`, archive);
    const fetched = tmp();
    await materializeFunction({
      spec: {
        handler: 'hello.foo',
        runtime: 'python3.11',
        function: `${base}/code.${kind}`,
        'function-content-type': 'url+compressedtar',
      },
      runtime: python,
      dir: fetched,
      fetchLimits: HTTP_OK,
    });
    expect(readFileSync(path.join(fetched, 'hello.py'), 'utf8')).toContain('hello world');
  });

  it.each([
    ['bzip2', Buffer.from('BZh91AY&SYgarbage')],
    ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3, 4])],
    ['an unknown compression', Buffer.from('plain text, not an archive')],
  ])('explains a damaged %s archive', async (_kind, bytes) => {
    const err = await failure(
      materializeFunction({
        spec: {
          handler: 'h.f',
          runtime: 'python3.11',
          function: bytes.toString('base64'),
          'function-content-type': 'base64+compressedtar',
        },
        runtime: python,
        dir: tmp(),
      }),
    );
    expect(err).toBeInstanceOf(PrepareError);
    expect(err.message).toMatch(/not a readable (bzip2|xz) tar archive|not gzip, bzip2 or xz compressed/);
  });

  it('stops inflating a small archive that expands past the cap', async () => {
    const big = tarOf('j', { 'zeros.txt': '0'.repeat(2_000_000) });
    const err = await failure(
      materializeFunction({
        spec: {
          handler: 'h.f',
          runtime: 'python3.11',
          function: big.toString('base64'),
          'function-content-type': 'base64+compressedtar',
        },
        runtime: python,
        dir: tmp(),
        unpackLimits: { maxBytes: 100_000, maxEntries: 10 },
      }),
    );
    expect(err.message).toMatch(/inflates past|more than 10 entries or 100000 bytes/);
    expect(big.length).toBeLessThan(10_000);
  });
});
