// The original Kubeless CLI's flags and output habits, with the built binary against the real
// local platform: comma/colon lists, --dependencies <URL>, --schedule and --trigger-topic
// companions, cluster-only pod and Service flags, and `function call`'s output and exit codes.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FunctionObject } from '../../../cli/kube/types.js';
import type { Platform } from '../../../local/platform.js';
import { ensureNodeRuntimeBuilt } from '../runtimes/harness.js';
import { assertBuilt, kubeless, startCliPlatform, type CliPlatform } from './run.js';

jest.setTimeout(120_000);

const ECHO = `module.exports = { h: (event) => ({
  ns: event['event-namespace'],
  type: event['event-type'],
  size: typeof event.data === 'string' ? event.data.length : JSON.stringify(event.data).length,
}) };
`;

describe('original CLI flags and call output', () => {
  let cli: CliPlatform;
  let platform: Platform;
  let files: Server;
  let dir: string;
  let env: Record<string, string>;
  let filesUrl: string;

  async function get(path: string): Promise<Record<string, unknown> | undefined> {
    const res = await fetch(`${platform.url}/apis/kubeless.io/v1beta1/namespaces/compat/${path}`);
    return res.status === 404 ? undefined : ((await res.json()) as Record<string, unknown>);
  }

  beforeAll(async () => {
    assertBuilt();
    ensureNodeRuntimeBuilt();
    cli = await startCliPlatform('compat', 'kubeless-cli-flags-');
    ({ platform, dir, env } = cli);
    // What `--dependencies <URL>` downloads, served the way a raw file host serves it.
    files = createServer((req, res) => {
      if (req.url === '/requirements.txt') res.end('humanize==4.9.0\n');
      else res.writeHead(404).end('no such file');
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    writeFileSync(join(dir, 'echo.js'), ECHO);
    const deploy = await kubeless(
      ['fn', 'deploy', 'echo', '-r', 'nodejs22', '--handler', 'echo.h', '-f', join(dir, 'echo.js'), '-w'],
      env,
    );
    expect(deploy).toMatchObject({ code: 0, stderr: '' });
  });

  afterAll(async () => {
    await new Promise((resolve) => files?.close(resolve));
    await cli?.close();
  });

  it("stores --env and --label in the original's comma and colon forms, with the default labels", async () => {
    const deploy = await kubeless(
      [
        'fn',
        'deploy',
        'forms',
        '-r',
        'nodejs22',
        '--handler',
        'echo.h',
        '-f',
        join(dir, 'echo.js'),
        '--env',
        'foo:bar,bar=foo',
        '--label',
        'foo:bar,bar=foo,foobar',
      ],
      env,
    );
    expect(deploy).toMatchObject({ code: 0, stderr: '' });
    const fn = (await get('functions/forms')) as unknown as FunctionObject;
    expect(fn.metadata.labels).toEqual({
      'created-by': 'kubeless',
      function: 'forms',
      foo: 'bar',
      bar: 'foo',
      foobar: '',
    });
    expect(fn.spec.deployment?.spec?.template?.spec?.containers?.[0]?.env).toEqual([
      { name: 'foo', value: 'bar' },
      { name: 'bar', value: 'foo' },
    ]);
  });

  it('refuses a label a cluster would refuse before sending anything', async () => {
    const bad = await kubeless(
      [
        'fn',
        'deploy',
        'badlabel',
        '-r',
        'nodejs22',
        '--handler',
        'echo.h',
        '-f',
        join(dir, 'echo.js'),
      ].concat(['--label', 'team=web,has space=x']),
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: invalid --label key "has space": the name part must consist of/);
    expect(await get('functions/badlabel')).toBeUndefined();
  });

  it('reads --dependencies from a URL and stores its text', async () => {
    const dry = await kubeless(
      ['fn', 'deploy', 'deps', '-r', 'python3.11', '--handler', 'a.b', '-f', join(dir, 'echo.js')].concat([
        '--dependencies',
        `${filesUrl}/requirements.txt`,
        '--dryrun',
        '-o',
        'json',
      ]),
      env,
    );
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(dry.stdout) as FunctionObject).spec.deps).toBe('humanize==4.9.0\n');
    const missing = await kubeless(
      ['fn', 'deploy', 'deps', '-r', 'python3.11', '--handler', 'a.b', '-f', join(dir, 'echo.js')].concat([
        '--dependencies',
        `${filesUrl}/nope.txt`,
      ]),
      env,
    );
    expect(missing.stderr).toBe(
      `error: cannot download --dependencies ${filesUrl}/nope.txt: HTTP 404; check the URL\n`,
    );
  });

  it('creates the CronJobTrigger of --schedule and the KafkaTrigger of --trigger-topic next to the function', async () => {
    const deploy = await kubeless(
      ['fn', 'deploy', 'ticker', '-r', 'nodejs22', '--handler', 'echo.h', '-f', join(dir, 'echo.js')].concat([
        '--schedule',
        '*/5 * * * *',
        '--trigger-topic',
        'ticks',
        '--trigger-http',
      ]),
      env,
    );
    expect(deploy).toMatchObject({ code: 0, stderr: '' });
    expect(deploy.stdout).toContain('CronJobTrigger "ticker" created in namespace "compat"');
    expect(deploy.stdout).toContain('KafkaTrigger "ticker" created in namespace "compat"');
    expect((await get('cronjobtriggers/ticker'))?.spec).toEqual({
      'function-name': 'ticker',
      schedule: '*/5 * * * *',
    });
    expect((await get('kafkatriggers/ticker'))?.spec).toMatchObject({
      topic: 'ticks',
      functionSelector: { matchLabels: { 'created-by': 'kubeless', function: 'ticker' } },
    });
    const badCron = await kubeless(
      ['fn', 'deploy', 'nocron', '-r', 'nodejs22', '--handler', 'echo.h', '-f', join(dir, 'echo.js')].concat([
        '--schedule',
        'every day',
      ]),
      env,
    );
    expect(badCron.stderr).toMatch(/^error: --schedule "every day" is not a cron schedule/);
    expect(await get('functions/nocron')).toBeUndefined();
  });

  it('stores the cluster-only pod and Service flags where the original CLI put them', async () => {
    const deploy = await kubeless(
      ['fn', 'deploy', 'custom', '-r', 'nodejs22', '--handler', 'echo.h', '-f', join(dir, 'echo.js')].concat([
        '--port',
        '8083',
        '--headless',
        '--secrets',
        'creds',
        '--node-selectors',
        'disktype:ssd',
        '--runtime-image',
        'registry.example.com/runtime-nodejs:20',
        '--image-pull-policy',
        'IfNotPresent',
      ]),
      env,
    );
    expect(deploy).toMatchObject({ code: 0 });
    // The local platform keeps them (the manifest must still work on a cluster) and says what it ignores.
    expect(deploy.stderr).toContain(
      'Warning: spec.deployment.spec.template.spec.containers[0].image is not used locally',
    );
    expect(deploy.stderr).toContain('Warning: spec.deployment.spec.template.spec.volumes is ignored locally');
    expect(deploy.stderr).toContain(
      'Warning: spec.deployment.spec.template.spec.nodeSelector is ignored locally',
    );
    expect(deploy.stderr).toContain('Warning: spec.service is ignored locally');
    const fn = (await get('functions/custom')) as unknown as FunctionObject;
    expect(fn.spec.service).toEqual({
      ports: [{ name: 'http-function-port', protocol: 'TCP', port: 8083, targetPort: 8083 }],
      clusterIP: 'None',
    });
    const pod = fn.spec.deployment?.spec?.template?.spec;
    expect(pod?.nodeSelector).toEqual({ disktype: 'ssd' });
    expect(pod?.containers?.[0]).toMatchObject({
      image: 'registry.example.com/runtime-nodejs:20',
      imagePullPolicy: 'IfNotPresent',
      volumeMounts: [{ name: 'creds-vol', mountPath: '/creds' }],
    });
  });

  it.each([
    ['tgz', 'z'],
    ['tar.bz2', 'j'],
    ['tar.xz', 'J'],
  ])('deploys code from a .%s archive (stored as base64+compressedtar) and runs it', async (ext, flag) => {
    const src = join(dir, `src-${flag}`);
    mkdirSync(src);
    writeFileSync(join(src, 'index.js'), `module.exports = { helloGet: () => 'hello world from ${ext}' };\n`);
    const archive = join(dir, `helloFunctions.${ext}`);
    execFileSync('tar', [`-c${flag}f`, archive, '-C', src, 'index.js']);
    const name = `archive-${flag.toLowerCase()}${flag === 'J' ? 'x' : ''}`;
    const deploy = await kubeless(
      ['fn', 'deploy', name, '-r', 'nodejs22', '--handler', 'index.helloGet', '--from-file', archive, '-w'],
      env,
    );
    expect(deploy).toMatchObject({ code: 0, stderr: '' });
    expect(
      ((await get(`functions/${name}`)) as unknown as FunctionObject).spec['function-content-type'],
    ).toBe('base64+compressedtar');
    expect((await kubeless(['fn', 'call', name], env)).stdout).toBe(`hello world from ${ext}\n`);
  });

  it("calls with the original's event-namespace and ends the answer with a newline", async () => {
    const call = await kubeless(['fn', 'call', 'echo', '--data', '{"hello":"world"}'], env);
    expect(call).toMatchObject({ code: 0, stderr: '' });
    expect(call.stdout.endsWith('}\n')).toBe(true);
    expect(JSON.parse(call.stdout)).toEqual({ ns: 'cli.kubeless.io', type: 'application/json', size: 17 });
  });

  it('shows call counts with function top --function NAME --out yaml, and takes --out for list', async () => {
    for (let i = 0; i < 3; i++) expect((await kubeless(['fn', 'call', 'echo'], env)).code).toBe(0);
    const top = await kubeless(['function', 'top', '--function', 'echo', '--out', 'yaml'], env);
    expect(top).toMatchObject({ code: 0, stderr: '' });
    expect(top.stdout).toMatch(/total_calls: ([3-9]|\d{2,})\n/);
    expect(top.stdout).toContain('function: echo');
    const table = await kubeless(['function', 'stats'], env);
    expect(table.stdout).toMatch(/^NAME +NAMESPACE +METHOD +TOTAL_CALLS +TOTAL_FAILURES/);
    expect(table.stdout).toMatch(/^echo +compat +GET +\d+ +/m);
    const list = await kubeless(['function', 'ls', '--out', 'json'], env);
    expect((JSON.parse(list.stdout) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('sends a body from --data-file, and a body too large for the platform gets its 413, not a shell error', async () => {
    const body = JSON.stringify({ blob: 'x'.repeat(600_000) });
    writeFileSync(join(dir, 'body.json'), body);
    const call = await kubeless(['fn', 'call', 'echo', '--data-file', join(dir, 'body.json')], env);
    expect(call).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(call.stdout)).toMatchObject({ type: 'application/json', size: body.length });

    writeFileSync(join(dir, 'big.txt'), 'a'.repeat(5 * 1024 * 1024));
    const big = await kubeless(['fn', 'call', 'echo', '--data-file', join(dir, 'big.txt')], env);
    expect(big.code).toBe(1);
    // The platform answers 413 and closes; the answer wins the race with the broken pipe most of the time.
    expect(big.stderr).toMatch(
      /^error: (cannot call function "echo": HTTP 413: .*5242880 bytes|the server at \S+ closed the connection while the 5242880-byte request body)/,
    );
  });

  it('prints the answer of a timed-out function, says "Request timeout exceeded" and exits 1', async () => {
    writeFileSync(
      join(dir, 'slow.js'),
      'module.exports = { h: () => new Promise((r) => setTimeout(() => r("late"), 3000)) };\n',
    );
    const deploy = await kubeless(
      ['fn', 'deploy', 'slow', '-r', 'nodejs22', '--handler', 'slow.h', '-f', join(dir, 'slow.js')].concat([
        '--timeout',
        '1',
        '-w',
      ]),
      env,
    );
    expect(deploy.code).toBe(0);
    const call = await kubeless(['fn', 'call', 'slow'], env);
    expect(call.code).toBe(1);
    expect(call.stderr).toMatch(/^error: Request timeout exceeded: /);
    expect(call.stdout + call.stderr).toMatch(/timeout/);
  });
});
