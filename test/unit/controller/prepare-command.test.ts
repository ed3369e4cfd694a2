// `kubeless prepare` run in-process on real directories: the ConfigMap the controller builds,
// written out as the kubelet would mount it, becomes the code and deps file in the target.
import { afterEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { desiredConfigMap } from '../../../controller/desired/configmap.js';
import { register } from '../../../controller/prepare-command.js';
import { sha256Checksum } from '../../../lib/function/checksum.js';
import { makeFunction, NODE } from './fixtures.js';
import { resolveWith } from '../../helpers/resolve-with.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  process.exitCode = undefined;
});

async function prepare(data: Record<string, string>): Promise<{ target: string; stderr: string }> {
  const source = await mkdtemp(join(tmpdir(), 'kl-src-'));
  const target = await mkdtemp(join(tmpdir(), 'kl-dst-'));
  dirs.push(source, target);
  for (const [k, v] of Object.entries(data)) await writeFile(join(source, k), v);
  const program = new Command('kubeless').exitOverride();
  register(program);
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  const out = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await program.parseAsync(
      ['prepare', '--source', source, '--target', target, '--runtime', JSON.stringify(NODE)],
      {
        from: 'user',
      },
    );
  } finally {
    process.stderr.write = write;
    process.stdout.write = out;
  }
  return { target, stderr };
}

describe('kubeless prepare', () => {
  test('writes the code under <module><suffix> and the deps file', async () => {
    const fn = makeFunction({ deps: '{"dependencies":{}}' });
    const { target } = await prepare(desiredConfigMap(resolveWith(fn, NODE)).data!);
    expect((await readdir(target)).sort()).toEqual(['handler.js', 'package.json']);
    expect(await readFile(join(target, 'handler.js'), 'utf8')).toBe(fn.spec.function);
    expect(process.exitCode).toBeUndefined();
  });

  test('a checksum mismatch fails with the reason and the fix, and exit code 1', async () => {
    const fn = makeFunction({ checksum: sha256Checksum('something else') });
    const { target, stderr } = await prepare(desiredConfigMap(resolveWith(fn, NODE)).data!);
    expect(process.exitCode).toBe(1);
    expect(JSON.parse(stderr.trim())).toMatchObject({ level: 'error', reason: 'ChecksumMismatch' });
    expect(await readdir(target)).toEqual([]);
  });

  test('a matching checksum passes', async () => {
    const fn = makeFunction();
    fn.spec.checksum = sha256Checksum(fn.spec.function!);
    const { target } = await prepare(desiredConfigMap(resolveWith(fn, NODE)).data!);
    expect(await readdir(target)).toEqual(['handler.js', 'package.json']);
  });
});
