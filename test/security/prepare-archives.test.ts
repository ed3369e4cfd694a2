// Issue 18, item 7 (tar modes and owners) and what held up (traversal, links, bombs): archives are
// unpacked by lib/prepare exactly as the `prepare` init step and the local platform do it, from
// real archives built by tar and Python's zipfile. This suite runs as root in CI containers,
// which is when an archive's owners used to be kept.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { DEFAULT_CATALOG, findRuntime } from '../../lib/catalog.js';
import { materializeFunction, PrepareError, type UnpackLimits } from '../../lib/prepare/index.js';

// Archives of several MiB are built and unpacked; a loaded CI machine needs more than 5 s.
jest.setTimeout(60_000);

const runtime = findRuntime(DEFAULT_CATALOG, 'nodejs22')!;
const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kl-sec-archive-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function unpack(bytes: Buffer, type: 'base64+zip' | 'base64+compressedtar', limits?: UnpackLimits) {
  const dir = tmp();
  await materializeFunction({
    spec: {
      handler: 'index.f',
      runtime: runtime.id,
      function: bytes.toString('base64'),
      'function-content-type': type,
    },
    runtime,
    dir,
    unpackLimits: limits,
  });
  return dir;
}

async function refusal(p: Promise<unknown>): Promise<PrepareError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PrepareError) return err;
    throw err;
  }
  throw new Error('expected the archive to be refused');
}

/** A tar.gz of a real directory tree (owners and modes as on disk), entries in the given order. */
async function tgzOfDir(src: string, entries: string[]): Promise<Buffer> {
  const out = path.join(tmp(), 'a.tgz');
  await tar.c({ gzip: true, file: out, cwd: src, portable: false }, entries);
  return readFileSync(out);
}

/** A zip from Python's zipfile, so names and attributes can be anything (argv only, no shell). */
function zipOf(entries: { name: string; data?: string; zeros?: number; mode?: number }[]): Buffer {
  const out = path.join(tmp(), 'a.zip');
  const script = [
    'import sys, json, zipfile',
    'z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)',
    'for e in json.loads(sys.argv[2]):',
    '    i = zipfile.ZipInfo(e["name"])',
    '    if e.get("mode"): i.external_attr = e["mode"] << 16',
    '    i.compress_type = zipfile.ZIP_DEFLATED',
    '    z.writestr(i, bytes(e["zeros"]) if "zeros" in e else e["data"])',
    'z.close()',
  ].join('\n');
  execFileSync('python3', ['-c', script, out, JSON.stringify(entries)]);
  return readFileSync(out);
}

describe('tar entries keep no special bits and no owner (item 7)', () => {
  it('strips setuid, setgid and sticky bits and gives every file to the unpacking user, even as root', async () => {
    const src = tmp();
    writeFileSync(path.join(src, 'index.js'), 'module.exports.f = () => 1;');
    writeFileSync(path.join(src, 'helper'), '#!/bin/sh\n');
    mkdirSync(path.join(src, 'shared'));
    chmodSync(path.join(src, 'helper'), 0o6755);
    chmodSync(path.join(src, 'shared'), 0o1777);
    const foreign = process.getuid?.() === 0;
    if (foreign) {
      chownSync(path.join(src, 'helper'), 4242, 4242);
      chownSync(path.join(src, 'index.js'), 4242, 4242);
    }
    const dir = await unpack(await tgzOfDir(src, ['index.js', 'helper', 'shared']), 'base64+compressedtar');
    const helper = statSync(path.join(dir, 'helper'));
    expect((helper.mode & 0o7777).toString(8)).toBe('755');
    expect((statSync(path.join(dir, 'shared')).mode & 0o7000).toString(8)).toBe('0');
    for (const f of ['helper', 'index.js']) {
      const st = statSync(path.join(dir, f));
      expect({ f, uid: st.uid, gid: st.gid }).toEqual({
        f,
        uid: process.getuid?.(),
        gid: process.getgid?.(),
      });
    }
  });
});

describe('what held up: archives cannot reach outside the function directory or blow up', () => {
  it('refuses tar entries that climb out or are absolute', async () => {
    // node-tar would quietly strip "../" itself; ours refuses the archive instead, so nothing
    // half-unpacked runs. Built by hand: tar.c will not write such names.
    for (const name of ['../escape.js', '/etc/evil.js']) {
      const header = new tar.Header({ path: name, mode: 0o644, size: 1, type: 'File', mtime: new Date() });
      header.encode();
      const block = Buffer.alloc(512);
      block.write('x');
      const raw = Buffer.concat([header.block!, block, Buffer.alloc(1024)]);
      const { gzipSync } = await import('node:zlib');
      const err = await refusal(unpack(gzipSync(raw), 'base64+compressedtar'));
      expect(err.reason).toBe('ArchiveInvalid');
    }
  });

  it('refuses tar symbolic and hard links', async () => {
    const src = tmp();
    writeFileSync(path.join(src, 'index.js'), 'x');
    symlinkSync('/etc/passwd', path.join(src, 'passwd'));
    linkSync(path.join(src, 'index.js'), path.join(src, 'again.js'));
    for (const entries of [
      ['index.js', 'passwd'],
      ['index.js', 'again.js'],
    ]) {
      const err = await refusal(unpack(await tgzOfDir(src, entries), 'base64+compressedtar'));
      expect(err.message).toMatch(/is a link/);
    }
  });

  it('writes a zip "symlink" entry as a plain file, never as a link', async () => {
    const dir = await unpack(
      zipOf([
        { name: 'index.js', data: 'x' },
        { name: 'passwd', data: '/etc/passwd', mode: 0o120777 },
      ]),
      'base64+zip',
    );
    expect(lstatSync(path.join(dir, 'passwd')).isSymbolicLink()).toBe(false);
    expect(readFileSync(path.join(dir, 'passwd'), 'utf8')).toBe('/etc/passwd');
  });

  it('refuses zip entries that climb out, and writes nothing there', async () => {
    const outside = tmp();
    const err = await refusal(
      unpack(zipOf([{ name: `../${path.basename(outside)}/escape.js`, data: 'x' }]), 'base64+zip'),
    );
    expect(err.reason).toBe('ArchiveInvalid');
    expect(existsSync(path.join(outside, 'escape.js'))).toBe(false);
  });

  it('refuses a zip bomb and a tar bomb by their inflated size, and too many entries', async () => {
    const limits = { maxBytes: 1024 * 1024, maxEntries: 100 };
    const zipBomb = zipOf([{ name: 'big.bin', zeros: 8 * 1024 * 1024 }]);
    expect(zipBomb.length).toBeLessThan(64 * 1024);
    expect((await refusal(unpack(zipBomb, 'base64+zip', limits))).reason).toBe('TooLarge');

    // A gzip bomb (zeros inflate ~1000 times) and an archive that is merely larger than allowed.
    const src = tmp();
    writeFileSync(path.join(src, 'zeros.bin'), Buffer.alloc(8 * 1024 * 1024));
    const noise = randomBytes(64 * 1024);
    writeFileSync(path.join(src, 'big.bin'), Buffer.concat(Array.from({ length: 32 }, () => noise)));
    for (const file of ['zeros.bin', 'big.bin']) {
      const err = await refusal(unpack(await tgzOfDir(src, [file]), 'base64+compressedtar', limits));
      expect({ file, reason: err.reason }).toEqual({ file, reason: 'TooLarge' });
    }

    const many = Array.from({ length: 101 }, (_, i) => ({ name: `f${i}.js`, data: '' }));
    expect((await refusal(unpack(zipOf(many), 'base64+zip', limits))).reason).toBe('TooLarge');
  });
});
