// What held up in the review (issue 18): the local platform's data dir is private to its user.
// Code, objects (which may carry env values) and logs live there, so nobody else on the machine
// may list or read it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { deployReady, nodeFunction, startTestPlatform, tmpDataDir } from '../integration/local/helpers.js';

let parent = '';
let dataDir = '';
let local: Awaited<ReturnType<typeof startTestPlatform>>;

beforeAll(async () => {
  parent = tmpDataDir();
  // Two levels that do not exist yet: both are created private, not just the last one.
  dataDir = path.join(parent, 'nested', '.kubeless');
  local = await startTestPlatform({ dataDir, poolSize: 0 });
  await deployReady(local.base, nodeFunction('perm', 'module.exports.handler = () => "ok";'));
}, 180_000);

afterAll(async () => {
  await local?.close();
  rmSync(parent, { recursive: true, force: true });
});

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('the data dir', () => {
  it('is created 0700, with every folder created on the way', () => {
    expect(mode(dataDir).toString(8)).toBe('700');
    expect(mode(path.dirname(dataDir)).toString(8)).toBe('700');
  });

  it('keeps the object store readable by its owner only', () => {
    const store = path.join(dataDir, 'store');
    const files = readdirSync(store);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(`${f} ${(mode(path.join(store, f)) & 0o077).toString(8)}`).toBe(`${f} 0`);
  });
});
