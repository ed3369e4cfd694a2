// Issue #20 item 7: the commands people type most load no server component and not
// @kubernetes/client-node. V8 reports every script a process compiled (NODE_V8_COVERAGE), so the
// built binary is run as a user runs it and the modules it loaded are read back.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../runtimes/harness.js';
import { assertBuilt, kubeless, writeKubeconfig } from './run.js';

jest.setTimeout(60_000);

const SERVER_DIRS = ['controller', 'webhook', 'api', 'kafka', 'local'];

describe('kubeless start-up loads only the command that runs', () => {
  let dir: string;
  let kubeconfig: string;

  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'kubeless-cli-modules-'));
    kubeconfig = join(dir, 'config');
    // A server nobody listens on: start-up and the failed connection are what is looked at.
    writeKubeconfig(kubeconfig, { server: 'http://127.0.0.1:9', namespace: 'team' });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The project's and node_modules' files the command loaded, relative to the checkout. */
  async function loaded(args: string[], withKubeconfig = true): Promise<{ code: number; files: string[] }> {
    const coverage = mkdtempSync(join(dir, 'v8-'));
    const r = await kubeless(args, {
      ...(withKubeconfig ? { KUBECONFIG: kubeconfig } : {}),
      NODE_V8_COVERAGE: coverage,
    });
    const files = new Set<string>();
    for (const f of readdirSync(coverage)) {
      const report = JSON.parse(readFileSync(join(coverage, f), 'utf8')) as { result: { url: string }[] };
      for (const { url } of report.result) {
        if (url.startsWith('file:')) files.add(relative(ROOT, fileURLToPath(url)));
      }
    }
    return { code: r.code, files: [...files].sort() };
  }

  const servers = (files: string[]) =>
    files.filter((f) => SERVER_DIRS.some((d) => f.startsWith(`dist/${d}/`)) || f.includes('client-node'));

  it.each([
    [['--help']],
    [['version']],
    [['function', 'call', 'hello']],
    [['fn', 'top']],
    [['completion', 'bash']],
  ])('kubeless %j', async (args) => {
    const { files } = await loaded(args);
    // The entry and the CLI itself were loaded (the report is real), nothing of the servers.
    expect(files).toEqual(expect.arrayContaining(['bin/kubeless.js', 'dist/main.js']));
    expect(servers(files)).toEqual([]);
  });

  it('`function call` loads no other function sub-command (deploy, list, logs, top)', async () => {
    const { files } = await loaded(['function', 'call', 'hello']);
    expect(files).toContain('dist/cli/commands/function-call.js');
    expect(files.filter((f) => /^dist\/cli\/commands\/function-(deploy|read|logs|top)\.js$/.test(f))).toEqual(
      [],
    );
  });

  it('without a kubeconfig (the local platform), no YAML parser is loaded', async () => {
    const { files } = await loaded(['function', 'call', 'hello', '--request-timeout', '1s'], false);
    expect(files).toContain('dist/cli/kube/config.js');
    expect(files.filter((f) => f.includes('js-yaml') || f.endsWith('cli/kube/kubeconfig.js'))).toEqual([]);
    // With one, it is (the report would show it).
    expect((await loaded(['function', 'call', 'hello'])).files.some((f) => f.includes('js-yaml'))).toBe(true);
  });

  it('a server command loads its own component and no other', async () => {
    const { files } = await loaded(['webhook', '--help']);
    expect(files.some((f) => f.startsWith('dist/webhook/'))).toBe(true);
    expect(
      files.filter((f) => ['controller', 'api', 'kafka', 'local'].some((d) => f.startsWith(`dist/${d}/`))),
    ).toEqual([]);
  });
});
