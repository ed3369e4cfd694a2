// The aggregated API on the real control plane: kube-apiserver reaches `kubeless api` (run here,
// on the host address) through a Service + EndpointSlice and an APIService; the function is the
// real Node.js runtime process, reached the same way.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import { pino } from 'pino';
import type { paths } from '../../openapi/generated/subresources.kubeless.io_v1.js';
import { stringify } from 'yaml';
import { runApi, type RunningApi } from '../../api/run.js';
import { apiService, renderChart, withCaBundle } from './helpers/chart-objects.js';
import { clusterEnv, readClusterInfo, repoRoot } from './helpers/cluster.js';
import { freePort, hostServiceManifest } from './helpers/host-service.js';
import { kubectl, kubectlJson, kubectlOk } from './helpers/kubectl.js';
import { waitFor } from './helpers/wait.js';

jest.setTimeout(180_000);

const ns = `e2e-api-${process.pid}`;
const BASE = `/apis/subresources.kubeless.io/v1/namespaces/${ns}/functions/hello`;
let api: RunningApi | undefined;
let runtime: ChildProcess | undefined;

beforeAll(async () => {
  const info = readClusterInfo();
  await kubectlOk(['apply', '-f', join(repoRoot, 'charts/kubeless/crds')]);
  await kubectlOk(['create', 'namespace', ns]);
  const code = mkdtempSync(join(tmpdir(), 'kubeless-api-e2e-'));
  // kubectl create --raw sends the file untyped (bytes); the generated client sends JSON text.
  writeFileSync(
    join(code, 'hello.js'),
    [
      'const decode = (d) => (typeof d === "string" ? JSON.parse(d) : ArrayBuffer.isView(d) ? JSON.parse(Buffer.from(d).toString()) : d);',
      "module.exports = { hello: (event) => ({ got: decode(event.data), id: event['event-id'] }) };",
      '',
    ].join('\n'),
  );
  const fnPort = await freePort(info.hostAddress);
  runtime = spawn(process.execPath, [join(repoRoot, 'dist/runtimes/nodejs/server.js')], {
    env: {
      ...process.env,
      FUNC_HANDLER: 'hello',
      MOD_NAME: 'hello',
      FUNC_PORT: String(fnPort),
      FUNC_TIMEOUT: '10',
      KUBELESS_INSTALL_VOLUME: code,
      KUBELESS_LISTEN_HOST: info.hostAddress,
    },
    stdio: 'ignore',
  });
  const fn = {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'hello', namespace: ns },
    spec: {
      runtime: 'nodejs20',
      handler: 'hello.hello',
      function: 'module.exports = {}',
      deps: '',
      timeout: '10',
    },
  };
  await kubectlOk(['apply', '-f', '-'], { input: stringify(fn) });
  await kubectlOk(['apply', '-f', '-'], {
    input: hostServiceManifest({
      namespace: ns,
      name: 'hello',
      port: 8080,
      address: info.hostAddress,
      targetPort: fnPort,
    }),
  });

  api = await runApi(
    {
      host: info.hostAddress,
      port: 0,
      certHosts: [`kubeless-api.${ns}.svc`],
      kubeconfig: info.kubeconfig,
      serviceAddress: 'endpoints',
      bodyLimitBytes: 1024 * 1024,
      frontProxyRefreshMs: 30_000,
    },
    pino({ level: 'warn' }),
  );
  // The chart's own APIService (its group priority, its Service name in our namespace), trusting
  // the CA of the server this suite runs on the host.
  const registration = withCaBundle(apiService(renderChart(ns, ['templates/api.yaml'])), api.caBundle);
  await kubectlOk(['apply', '-f', '-'], {
    input: `${hostServiceManifest({ namespace: ns, name: 'kubeless-api', port: 443, address: info.hostAddress, targetPort: api.port })}---\n${stringify(registration)}`,
  });
});

afterAll(async () => {
  await kubectl(['delete', 'apiservice', 'v1.subresources.kubeless.io', '--ignore-not-found']);
  await kubectl(['delete', 'namespace', ns, '--wait=false']);
  await api?.stop();
  runtime?.kill('SIGTERM');
});

test('the APIService becomes Available and lists the subresources', async () => {
  await waitFor('APIService Available', async () => {
    const s = await kubectlJson<{ status?: { conditions?: { type: string; status: string }[] } }>([
      'get',
      'apiservice',
      'v1.subresources.kubeless.io',
    ]);
    return s.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True')
      ? true
      : undefined;
  });
  const list = JSON.parse(await kubectlOk(['get', '--raw', '/apis/subresources.kubeless.io/v1'])) as {
    resources: { name: string }[];
  };
  expect(list.resources.map((r) => r.name)).toEqual([
    'functions',
    'functions/invoke',
    'functions/log',
    'functions/logs',
  ]);
  const resources = await kubectlOk(['api-resources', '--api-group=kubeless.io', '-o', 'name']);
  expect(resources).toContain('functions.kubeless.io');
  expect(await kubectlOk(['get', 'fn', 'hello', '-n', ns, '-o', 'jsonpath={.apiVersion}'])).toBe(
    'kubeless.io/v1beta1',
  );
});

test('kubectl create --raw invokes the function; RBAC decides who may', async () => {
  const body = join(mkdtempSync(join(tmpdir(), 'kubeless-api-body-')), 'body.json');
  writeFileSync(body, '{"hello":"world"}');
  const out = JSON.parse(await kubectlOk(['create', '--raw', `${BASE}/invoke`, '-f', body])) as {
    got: unknown;
    id: string;
  };
  expect(out.got).toEqual({ hello: 'world' });
  expect(out.id).toBeTruthy();

  const sa = `system:serviceaccount:${ns}:caller`;
  const denied = await kubectl(['create', '--raw', `${BASE}/invoke`, '-f', body, '--as', sa]);
  expect(denied.code).not.toBe(0);
  expect(denied.stderr).toMatch(/forbidden/i);
  // A Role written out: kubectl create role checks resources against discovery, which lists no
  // plain "functions" in this group (only its subresources).
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'invoke', namespace: ns },
    rules: [{ apiGroups: ['subresources.kubeless.io'], resources: ['functions/invoke'], verbs: ['create'] }],
  };
  await kubectlOk(['apply', '-f', '-'], { input: stringify(role) });
  await kubectlOk([
    'create',
    'rolebinding',
    'invoke',
    '-n',
    ns,
    '--role=invoke',
    `--serviceaccount=${ns}:caller`,
  ]);
  // Denials are cached for 2 s and RBAC takes a moment to reach the authorizer.
  const allowed = await waitFor('the bound ServiceAccount to invoke', async () => {
    const r = await kubectl(['create', '--raw', `${BASE}/invoke`, '-f', body, '--as', sa]);
    return r.code === 0 ? r.stdout : undefined;
  });
  expect(JSON.parse(allowed)).toMatchObject({ got: { hello: 'world' } });

  // kubectl's own habits, on the real apiserver: can-i for this caller (a Role on
  // subresources.kubeless.io only) with the fully qualified type, which discovery now lists.
  const canI = (who: string, ...args: string[]) => kubectl(['auth', 'can-i', ...args, '-n', ns, '--as', who]);
  const qualified = await canI(sa, 'create', 'functions.subresources.kubeless.io', '--subresource=invoke');
  expect(qualified).toMatchObject({ code: 0, stdout: 'yes\n', stderr: '' });

  // A caller with the chart's kubeless-edit rules (as a Role here: the cluster-wide ClusterRole
  // belongs to the chart suite): plain `functions` maps to kubeless.io, and the answer is right.
  const editRules = renderChart(ns, ['templates/user-roles.yaml']).find(
    (o) => o.metadata?.name === 'kubeless-edit',
  ) as unknown as { rules: unknown[] };
  const editor = `system:serviceaccount:${ns}:editor`;
  await kubectlOk(['apply', '-f', '-'], {
    input: stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'kubeless-edit', namespace: ns },
      rules: editRules.rules,
    }),
  });
  await kubectlOk([
    'create',
    'rolebinding',
    'editor',
    '-n',
    ns,
    '--role=kubeless-edit',
    `--serviceaccount=${ns}:editor`,
  ]);
  const plain = await waitFor('can-i to see the editor binding', async () => {
    const r = await canI(editor, 'create', 'functions', '--subresource=invoke');
    return r.stdout === 'yes\n' ? r : undefined;
  });
  expect(plain).toMatchObject({ code: 0, stderr: '' });
  expect(await canI(editor, 'get', 'functions', '--subresource=log')).toMatchObject({
    stdout: 'yes\n',
    stderr: '',
  });
  expect(
    (await canI(editor, 'create', 'functions.subresources.kubeless.io', '--subresource=invoke')).stdout,
  ).toBe('yes\n');
  // ... and what can-i said is what kubeless api decides.
  const invoked = await waitFor('the editor to invoke', async () => {
    const r = await kubectl(['create', '--raw', `${BASE}/invoke`, '-f', body, '--as', editor]);
    return r.code === 0 ? r.stdout : undefined;
  });
  expect(JSON.parse(invoked)).toMatchObject({ got: { hello: 'world' } });

  // Listing the parent in subresources.kubeless.io changes neither get nor api-resources.
  const resources = await kubectl(['api-resources']);
  expect(resources).toMatchObject({ code: 0, stderr: '' });
  expect(resources.stdout).toMatch(/^functions\s+fn\s+kubeless\.io\/v1beta1\s+true\s+Function$/m);
  expect(await kubectlOk(['get', 'functions', 'hello', '-n', ns, '-o', 'jsonpath={.apiVersion}'])).toBe(
    'kubeless.io/v1beta1',
  );
  expect(await kubectlOk(['get', 'fn', '-n', ns, '-o', 'name'])).toBe('function.kubeless.io/hello\n');
});

test('a direct request without the front-proxy certificate gets 401', async () => {
  const info = readClusterInfo();
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: info.hostAddress,
        port: api?.port,
        path: `${BASE}/invoke`,
        method: 'POST',
        rejectUnauthorized: false,
        headers: { 'X-Remote-User': 'system:admin' },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
  expect(status).toBe(401);
});

test('a client generated from the subresources OpenAPI document invokes the function', async () => {
  // kubectl proxy carries the admin credentials, so the generated client needs no TLS setup.
  const proxy = spawn('kubectl', ['proxy', '--port=0', '--address=127.0.0.1'], {
    env: clusterEnv(),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      proxy.once('error', reject);
      proxy.stdout?.on('data', (c: Buffer) => {
        const m = /127\.0\.0\.1:(\d+)/.exec(c.toString());
        if (m) resolve(`http://127.0.0.1:${m[1] ?? ''}`);
      });
    });
    const client = createClient<paths>({ baseUrl: base });
    const { data, response } = await client.POST(
      '/apis/subresources.kubeless.io/v1/namespaces/{namespace}/functions/{name}/invoke',
      {
        params: { path: { namespace: ns, name: 'hello' } },
        // The document types the body: any JSON value for application/json.
        body: { hello: 'client' },
        parseAs: 'text',
      },
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(String(data))).toMatchObject({ got: { hello: 'client' } });
  } finally {
    proxy.kill('SIGTERM');
  }
});
