// The `kubeless` binary against the real local platform (`local/`, what `npm start` runs): its
// Kubernetes-style API, its controller and real runtime processes.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FunctionObject } from '../../../cli/kube/types.js';
import type { Platform } from '../../../local/platform.js';
import { EXAMPLES, ensureNodeRuntimeBuilt } from '../runtimes/harness.js';
import {
  assertBuilt,
  kubeless,
  spawnKubeless,
  startCliPlatform,
  writeKubeconfig,
  type CliPlatform,
} from './run.js';

jest.setTimeout(120_000);

const AGE_UNIT_SECONDS: Record<string, number> = { y: 365 * 86400, d: 86400, h: 3600, m: 60, s: 1 };

/** Seconds of an age printed as kubectl prints one (`2m30s`, `3h4m` ...). */
function ageSeconds(age: string): number {
  let total = 0;
  for (const [, n, unit] of age.matchAll(/(\d+)([ydhms])/g)) total += Number(n) * AGE_UNIT_SECONDS[unit!]!;
  return total;
}

describe('kubeless function against the local platform', () => {
  let cli: CliPlatform;
  let platform: Platform;
  let dir: string;
  let env: Record<string, string>;
  const suiteStarted = Date.now();

  /** Reads a Function straight from the API, to check what the CLI stored. */
  async function stored(ns: string, name: string): Promise<FunctionObject | undefined> {
    const res = await fetch(`${platform.url}/apis/kubeless.io/v1beta1/namespaces/${ns}/functions/${name}`);
    return res.status === 404 ? undefined : ((await res.json()) as FunctionObject);
  }

  beforeAll(async () => {
    assertBuilt();
    ensureNodeRuntimeBuilt();
    cli = await startCliPlatform('team', 'kubeless-cli-it-');
    ({ platform, dir, env } = cli);
  });

  afterAll(async () => {
    await cli?.close();
  });

  it('deploys the Node.js example, waits for Ready, and calls it', async () => {
    const deploy = await kubeless(
      [
        'function',
        'deploy',
        'hello',
        '--runtime',
        'nodejs22',
        '--handler',
        'hello.hello',
        '--from-file',
        join(EXAMPLES, 'nodejs/hello.js'),
        '--wait',
      ],
      env,
    );
    expect(deploy.stderr).toBe('');
    expect(deploy.stdout).toContain('function "hello" created in namespace "team"');
    expect(deploy.stdout).toMatch(/^ {2}hello: Ready/m);
    expect(deploy.stdout).toContain('function "hello" is ready');
    const fn = await stored('team', 'hello');
    expect(fn?.spec['function-content-type']).toBe('text');
    expect(fn?.spec.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);

    const call = await kubeless(['fn', 'call', 'hello'], env);
    expect(call).toEqual({ code: 0, stdout: 'hello world\n', stderr: '' });
  });

  it('deploys the Python example and calls it with JSON data', async () => {
    const deploy = await kubeless(
      [
        'fn',
        'deploy',
        'echo-py',
        '-r',
        'python3.11',
        '--handler',
        'echo.echo',
        '-f',
        join(EXAMPLES, 'python/echo.py'),
        '-w',
      ],
      env,
    );
    expect(deploy).toMatchObject({ code: 0 });
    const call = await kubeless(['fn', 'call', 'echo-py', '--data', '{"n":42}'], env);
    expect(call).toMatchObject({ code: 0 });
    expect(JSON.parse(call.stdout)).toMatchObject({ received: { n: 42 } });
  });

  it('deploys the Python example with a dependency (installed from requirements.txt) and calls it', async () => {
    const withDeps = join(EXAMPLES, 'python/with-deps');
    const deploy = await kubeless(
      [
        'fn',
        'deploy',
        'ago',
        '-r',
        'python3.11',
        '--handler',
        'timeago.ago',
        '-f',
        join(withDeps, 'timeago.py'),
      ]
        .concat(['--dependencies', join(withDeps, 'requirements.txt'), '--wait', '--wait-timeout', '3m'])
        .concat(['-n', 'deps']),
      env,
    );
    expect(deploy).toMatchObject({ code: 0, stderr: '' });
    expect((await stored('deps', 'ago'))?.spec.deps).toContain('humanize');
    const call = await kubeless(['fn', 'call', 'ago', '-n', 'deps', '--data', '7200'], env);
    expect(call).toMatchObject({ code: 0 });
    expect(JSON.parse(call.stdout)).toEqual({ seconds: 7200, words: '2 hours' });
  });

  it('lists and describes functions', async () => {
    const list = await kubeless(['fn', 'list'], env);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME +NAMESPACE +RUNTIME +HANDLER +READY +AGE$/);
    const row = lines.find((l) => l.startsWith('hello '));
    expect(row).toMatch(/^hello +team +nodejs22 +hello\.hello +True +\S+$/);
    // AGE is kubectl's form (45s, 2m30s, 5m ...) and no older than this suite, which may have
    // run for minutes on a loaded machine: the unit is not fixed, the value is bounded.
    const age = row!.split(/ +/).at(-1)!;
    expect(age).toMatch(/^(\d+[ydhms])+$/);
    expect(ageSeconds(age)).toBeLessThanOrEqual((Date.now() - suiteStarted) / 1000 + 1);
    const json = JSON.parse((await kubeless(['fn', 'ls', '-o', 'json'], env)).stdout) as {
      items: { metadata: { name: string } }[];
    };
    expect(json.items.map((i) => i.metadata.name).sort()).toEqual(['echo-py', 'hello']);
    const describe = await kubeless(['fn', 'describe', 'hello'], env);
    expect(describe.stdout).toMatch(/Handler: +hello\.hello/);
    expect(describe.stdout).toMatch(/Ready +True +Ready/);
  });

  it('exits non-zero and prints the body when the function answers 4xx', async () => {
    writeFileSync(
      join(dir, 'status.js'),
      "module.exports = { h: (e) => { e.extensions.response.status(418); return 'short and stout ' + e.extensions.request.path; } };\n",
    );
    expect(
      (
        await kubeless(
          [
            'fn',
            'deploy',
            'teapot',
            '-r',
            'nodejs22',
            '--handler',
            'status.h',
            '-f',
            join(dir, 'status.js'),
            '-w',
          ],
          env,
        )
      ).code,
    ).toBe(0);
    const call = await kubeless(['fn', 'call', 'teapot', '--path', '/pot?x=1'], env);
    expect(call.code).toBe(1);
    expect(call.stdout).toBe('short and stout /pot\n');
    expect(call.stderr).toBe('error: function "teapot" answered HTTP 418\n');
  });

  it('reads logs, with --tail, and follows new lines with -f', async () => {
    writeFileSync(
      join(dir, 'logger.js'),
      "module.exports = { h: (e) => { console.log('got ' + JSON.stringify(e.data)); return 'ok'; } };\n",
    );
    expect(
      (
        await kubeless(
          [
            'fn',
            'deploy',
            'logger',
            '-r',
            'nodejs22',
            '--handler',
            'logger.h',
            '-f',
            join(dir, 'logger.js'),
            '-w',
          ],
          env,
        )
      ).code,
    ).toBe(0);
    await kubeless(['fn', 'call', 'logger', '--data', 'first'], env);
    const logs = await kubeless(['fn', 'logs', 'logger'], env);
    expect(logs).toMatchObject({ code: 0 });
    expect(logs.stdout).toContain('got "first"');
    expect((await kubeless(['fn', 'logs', 'logger', '--tail', '1'], env)).stdout).toBe('got "first"\n');

    const follower = spawnKubeless(['fn', 'logs', 'logger', '-f', '--tail', '0'], env);
    let followed = '';
    follower.stdout?.on('data', (d: Buffer) => (followed += d.toString()));
    try {
      // Calls until the follower (which needs a moment to connect) has seen one of them. The
      // calls go straight to the invoke subresource: what is under test is the follower, and a
      // CLI process per call took seconds each on a loaded machine.
      const invoke = `${platform.url}/apis/subresources.kubeless.io/v1/namespaces/team/functions/logger/invoke`;
      const deadline = Date.now() + 90_000;
      for (let i = 0; Date.now() < deadline && !followed.includes('got "second'); i++) {
        const res = await fetch(invoke, { method: 'POST', body: `second-${i}` });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(followed).toMatch(/got "second-\d+"/);
      expect(followed).not.toContain('got "first"');
    } finally {
      follower.kill('SIGTERM');
    }
  }, 240_000);

  it('updates code and env, waits for the new generation, and serves the change', async () => {
    writeFileSync(join(dir, 'greet.js'), "module.exports = { h: () => 'v1' };\n");
    expect(
      (
        await kubeless(
          [
            'fn',
            'deploy',
            'greet',
            '-r',
            'nodejs22',
            '--handler',
            'greet.h',
            '-f',
            join(dir, 'greet.js'),
            '-w',
          ],
          env,
        )
      ).code,
    ).toBe(0);
    writeFileSync(join(dir, 'greet.js'), "module.exports = { h: () => 'v2' };\n");
    const update = await kubeless(
      ['fn', 'update', 'greet', '-f', join(dir, 'greet.js'), '--env', 'GREETING=hey', '--wait'],
      env,
    );
    expect(update.stdout).toContain('function "greet" updated in namespace "team"');
    expect(update.stdout).toContain('function "greet" is ready');
    expect((await kubeless(['fn', 'call', 'greet'], env)).stdout).toBe('v2\n');
    const fn = await stored('team', 'greet');
    expect(fn?.metadata.generation).toBe(2);
    expect(fn?.spec.handler).toBe('greet.h');
    // The local platform does not pass container env to its processes yet; check what was stored.
    expect(fn?.spec.deployment?.spec?.template?.spec?.containers?.[0]?.env).toEqual([
      { name: 'GREETING', value: 'hey' },
    ]);
  });

  it('reports a function that fails to load with --wait: exit 1, reason and message', async () => {
    writeFileSync(join(dir, 'broken.js'), "throw new Error('missing config value');\n");
    const deploy = await kubeless(
      [
        'fn',
        'deploy',
        'broken',
        '-r',
        'nodejs22',
        '--handler',
        'broken.h',
        '-f',
        join(dir, 'broken.js'),
        '--wait',
      ],
      env,
    );
    expect(deploy.code).toBe(1);
    const ready = (await stored('team', 'broken'))?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'LoadError' });
    expect(deploy.stderr).toBe(
      `error: function "broken" failed: LoadError: ${ready?.message}; ` +
        'see `kubeless function logs broken -n team` and `kubeless function describe broken -n team`\n',
    );
    expect((await kubeless(['fn', 'logs', 'broken'], env)).stdout).toContain('missing config value');
    const describe = await kubeless(['fn', 'describe', 'broken'], env);
    expect(describe.stdout).toMatch(/Ready +False +LoadError/);
    expect(describe.stdout).toContain('Events:\n  <not available from this server>\n');
  });

  it('deletes a function, after which call says how to list', async () => {
    const del = await kubeless(['fn', 'delete', 'hello'], env);
    expect(del).toMatchObject({ code: 0, stdout: 'function "hello" deleted from namespace "team"\n' });
    const call = await kubeless(['fn', 'call', 'hello'], env);
    expect(call.code).toBe(1);
    expect(call.stderr).toBe(
      'error: function "hello" not found in namespace "team"; list them with `kubeless function list -n team` (or --all-namespaces)\n',
    );
  });

  it('turns 422 and 409 answers into one line with the fix', async () => {
    const bad = await kubeless(
      ['fn', 'deploy', 'cobol', '-r', 'cobol85', '--handler', 'a.b', '-f', join(EXAMPLES, 'nodejs/hello.js')],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^error: function "cobol" is invalid: spec\.runtime: "cobol85" is not in the runtime catalog \(fix: use one of: .*nodejs22.*\); fix these fields and retry\n$/,
    );
    const twice = [
      'fn',
      'deploy',
      'twice',
      '-r',
      'nodejs22',
      '--handler',
      'hello.hello',
      '-f',
      join(EXAMPLES, 'nodejs/hello.js'),
    ];
    expect(await kubeless(twice, env)).toMatchObject({ code: 0 });
    const again = await kubeless(twice, env);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toBe(
      'error: function "twice" already exists in namespace "team"; change it with `kubeless function update twice -n team` or delete it first\n',
    );
  });

  it('prints the object for --dryrun and --dry-run=server without storing it', async () => {
    const client = await kubeless(
      [
        'fn',
        'deploy',
        'dry',
        '-r',
        'nodejs22',
        '--handler',
        'hello.hello',
        '-f',
        join(EXAMPLES, 'nodejs/hello.js'),
        '--env',
        'A=1',
        '--memory',
        '64Mi',
        '--dryrun',
      ],
      env,
    );
    expect(await stored('team', 'dry')).toBeUndefined();
    const obj = parse(client.stdout) as { metadata: { namespace: string }; spec: Record<string, unknown> };
    expect(obj.metadata.namespace).toBe('team');
    expect(obj.spec.checksum).toMatch(/^sha256:/);
    const server = await kubeless(
      [
        'fn',
        'deploy',
        'dry',
        '-r',
        'nodejs22',
        '--handler',
        'hello.hello',
        '-f',
        join(EXAMPLES, 'nodejs/hello.js'),
        '--dry-run=server',
        '-o',
        'json',
      ],
      env,
    );
    expect(server).toMatchObject({ code: 0 });
    expect((JSON.parse(server.stdout) as { spec: { timeout: string } }).spec.timeout).toBe('180');
    expect(await stored('team', 'dry')).toBeUndefined();
  });

  it('prints client and server versions', async () => {
    const v = await kubeless(['version'], env);
    expect(v.stdout).toMatch(
      /^Client Version: \d+\.\d+\.\d+\nServer Version: v\d+\.\d+\.\d+-kubeless-local \(linux\/\w+\)\n$/,
    );
  });
});

describe('kubeless when the API is unreachable', () => {
  it('suggests starting the local platform', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeless-cli-it-'));
    try {
      // A port that was just free: nothing listens there.
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      writeKubeconfig(join(dir, 'config'), { server: url });
      const list = await kubeless(['fn', 'list', '--kubeconfig', join(dir, 'config')]);
      expect(list.code).toBe(1);
      expect(list.stderr).toBe(
        `error: cannot reach the Kubernetes API at ${url} (connection refused): is the local platform running? start it with \`npm start\`, or check your kubeconfig (--kubeconfig, KUBECONFIG, --context)\n`,
      );
      const version = await kubeless(['version', '--kubeconfig', join(dir, 'config')]);
      expect(version.code).toBe(0);
      expect(version.stdout).toMatch(/^Client Version: /);
      expect(version.stderr).toContain('server version unavailable: cannot reach the Kubernetes API');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
