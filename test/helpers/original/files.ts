// Turns the inventories' file arguments into real files and URLs: fixtures as they are, archives
// built the way the Makefiles build them (flat, with Python's zipfile/tarfile so that no zip,
// bzip2 or xz binary is needed), printf'd temp files, and a small HTTP(S) server standing in for
// GitHub where the original deployed from a URL.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCa, createServingCert, type KeyPair } from '../../../lib/certs/index.js';
import type { ArchiveFormat, FileRef } from './types.js';

export const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/original/examples',
);

const ARCHIVE = `
import sys, tarfile, zipfile, os
fmt, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
if fmt == 'zip':
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for f in files: z.write(f, os.path.basename(f))
else:
    mode = {'tar.gz': 'w:gz', 'tgz': 'w:gz', 'tar.bz2': 'w:bz2', 'tar.xz': 'w:xz'}[fmt]
    with tarfile.open(out, mode) as t:
        for f in files: t.add(f, os.path.basename(f))
`;

function buildArchive(format: ArchiveFormat, of: string[], out: string): void {
  const r = spawnSync('python3', ['-c', ARCHIVE, format, out, ...of.map((f) => path.join(FIXTURES, f))], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`could not build ${out} with python3: ${r.stderr || r.error?.message}`);
}

/**
 * A CA of the test's own and a certificate it issued for `host`: the file server presents the
 * certificate, and the platform trusts the CA through NODE_EXTRA_CA_CERTS=`caFile` (the stand-in
 * for the machine's trust store, which GitHub's certificate chains up to).
 */
export function testCa(workDir: string, host: string): { caFile: string; serving: KeyPair } {
  const notBefore = new Date();
  const lifetimeMs = 24 * 3_600_000;
  const ca = createCa({ commonName: 'kubeless original-examples test CA', notBefore, lifetimeMs });
  const serving = createServingCert({ ca, commonName: host, hosts: [host], notBefore, lifetimeMs });
  const caFile = path.join(workDir, 'test-ca.pem');
  writeFileSync(caFile, ca.cert);
  return { caFile, serving };
}

/**
 * Serves files at /<name>, on the address the platform reaches the test's machine at: over
 * https with `tls` (the platforms fetch code from https URLs only, by default), else plain http.
 */
export class FileServer {
  private readonly files = new Map<string, string>();
  private server: Server | undefined;
  private base = '';

  constructor(
    private readonly host: string,
    private readonly tls?: KeyPair,
  ) {}

  async start(): Promise<void> {
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      const file = this.files.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (!file) {
        res.writeHead(404).end('not found\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(file));
    };
    const server = this.tls
      ? createHttpsServer({ cert: this.tls.cert, key: this.tls.key }, handle)
      : createHttpServer(handle);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, this.host, resolve));
    const { port } = server.address() as AddressInfo;
    this.base = `${this.tls ? 'https' : 'http'}://${this.host}:${port}`;
  }

  /** The URL of `file`, under its own name (the archive's format shows in the name, as on GitHub). */
  serve(file: string, query?: string): string {
    const name = `/${path.basename(file)}`;
    this.files.set(name, file);
    return `${this.base}${name}${query ? `?${query}` : ''}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Materialises FileRefs into `workDir`; a URL needs the server. */
export class Files {
  constructor(
    private readonly workDir: string,
    private readonly server: FileServer,
  ) {}

  resolve(ref: FileRef): string {
    if ('fixture' in ref) return path.join(FIXTURES, ref.fixture);
    if ('archive' in ref) {
      // Named like the Makefiles' archives; the hash keeps different contents apart.
      const digest = createHash('sha256').update(ref.of.join('\n')).digest('hex').slice(0, 8);
      const out = path.join(this.workDir, `hello-${digest}.${ref.archive}`);
      buildArchive(ref.archive, ref.of, out);
      return out;
    }
    if ('text' in ref) {
      // Under its own name, as the Makefile's printf wrote it, in a folder of its own.
      const dir = path.join(this.workDir, createHash('sha256').update(ref.text).digest('hex').slice(0, 8));
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, ref.named), ref.text);
      return path.join(dir, ref.named);
    }
    return this.server.serve(this.resolve(ref.url), ref.query);
  }
}
