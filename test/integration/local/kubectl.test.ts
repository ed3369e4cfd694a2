// The real kubectl (`--server http://127.0.0.1:PORT`) against the local platform.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { startPlatform, type Platform } from '../../../local/platform.js';
import { readyOf, tmpDataDir, waitFor } from './helpers.js';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const run = promisify(execFile);
const suite = existsSync(KUBECTL) ? describe : describe.skip;

let platform: Platform;
let dataDir = '';
let home = '';
let manifest = '';

beforeAll(async () => {
  dataDir = tmpDataDir();
  home = mkdtempSync(path.join(os.tmpdir(), 'kl-kubectl-'));
  manifest = path.join(home, 'fn.yaml');
  platform = await startPlatform({ port: 0, dataDir, logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

function args(...rest: string[]): string[] {
  return ['--server', platform.url, '--cache-dir', path.join(home, 'cache'), ...rest];
}
const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home, KUBECONFIG: path.join(home, 'none') });

async function kubectl(...rest: string[]): Promise<string> {
  const { stdout } = await run(KUBECTL, args(...rest), { env: env(), timeout: 60_000 });
  return stdout;
}

function writeManifest(greeting: string): void {
  writeFileSync(
    manifest,
    [
      'apiVersion: kubeless.io/v1beta1',
      'kind: Function',
      'metadata:',
      '  name: greeter',
      'spec:',
      '  runtime: nodejs20',
      '  handler: greeter.handler',
      '  function: |',
      `    module.exports.handler = () => '${greeting}';`,
      '',
    ].join('\n'),
  );
}

suite('kubectl', () => {
  it('applies, lists with printer columns, re-applies, watches and deletes a Function', async () => {
    const events: string[] = [];
    const watch = spawn(KUBECTL, args('get', 'functions', '-w', '--output-watch-events'), { env: env() });
    watch.stdout.on('data', (c: Buffer) => events.push(c.toString()));

    writeManifest('hello');
    expect(await kubectl('apply', '-f', manifest)).toMatch(/function.kubeless.io\/greeter created/);
    await waitFor(platform.url, 'default', 'greeter', (f) => readyOf(f)?.status === 'True');
    const table = await kubectl('get', 'functions');
    expect(table).toMatch(/^NAME\s+RUNTIME\s+HANDLER\s+READY\s+AGE\n/);
    expect(table).toMatch(/greeter\s+nodejs20\s+greeter\.handler\s+True\s+\d+s/);
    expect(await kubectl('get', 'fn', 'greeter', '-o', 'jsonpath={.spec.runtime}')).toBe('nodejs20');

    writeManifest('hello again');
    expect(await kubectl('apply', '-f', manifest)).toMatch(/greeter configured/);
    expect(await kubectl('get', 'fn', 'greeter', '-o', 'jsonpath={.metadata.generation}')).toBe('2');

    expect(await kubectl('delete', '-f', manifest)).toMatch(/greeter" deleted/);
    const deadline = Date.now() + 20_000;
    while (!events.join('').includes('DELETED') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    watch.kill('SIGTERM');
    const seen = events.join('');
    expect(seen).toMatch(/ADDED\s+greeter\s+nodejs20/);
    expect(seen).toMatch(/MODIFIED\s+greeter/);
    expect(seen).toMatch(/DELETED\s+greeter/);
    await expect(kubectl('get', 'fn', 'greeter')).rejects.toThrow(/NotFound|not found/);
  }, 120_000);
});
