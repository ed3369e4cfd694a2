// The last line of defence of the local data dir: hostile names never leave their folder.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inside, PathOutsideError } from '../../../lib/fs/inside.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kl-inside-'));
const folder = path.join(tmp, 'data', 'functions');
mkdirSync(folder, { recursive: true });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('inside', () => {
  it('joins plain segments below the folder, created or not yet', () => {
    expect(inside(folder, 'default', 'hello', 'abc123')).toBe(
      path.join(folder, 'default', 'hello', 'abc123'),
    );
    expect(inside(path.join(tmp, 'not-yet'), 'x')).toBe(path.join(tmp, 'not-yet', 'x'));
    expect(inside(folder, 'hello.log')).toBe(path.join(folder, 'hello.log'));
  });

  const hostile: Array<[string, string[]]> = [
    ['no part at all', []],
    ['an empty part', ['']],
    ['the parent', ['..']],
    ['the folder itself', ['.']],
    ['a traversal in one part', ['../..']],
    ['a traversal through the namespace', ['..', '..', 'x']],
    ['an absolute path', ['/etc/passwd']],
    ['a separator', ['a/b']],
    ['a Windows separator', ['..\\..']],
    ['an encoded traversal', ['..%2F..']],
    ['a NUL byte', ['a\0b']],
    ['the parent after a plain part', ['default', '..', '..', '..']],
  ];
  for (const [what, parts] of hostile) {
    it(`refuses ${what}`, () => {
      expect(() => inside(folder, ...parts)).toThrow(PathOutsideError);
    });
  }

  it('refuses a parent folder that a symbolic link takes outside', () => {
    symlinkSync(tmp, path.join(folder, 'escape'), 'dir');
    expect(() => inside(folder, 'escape', 'data')).toThrow(/reached through a link/);
    // The link itself may be named: removing it removes the link, not what it points to.
    expect(inside(folder, 'escape')).toBe(path.join(folder, 'escape'));
  });

  it('accepts a folder that is itself reached through a link', () => {
    const alias = path.join(tmp, 'alias');
    symlinkSync(path.join(tmp, 'data'), alias, 'dir');
    expect(inside(path.join(alias, 'functions'), 'default', 'x')).toBe(
      path.join(alias, 'functions', 'default', 'x'),
    );
  });
});
