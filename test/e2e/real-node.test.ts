// Kubeless on a cluster with one real node (kubelet, containerd, runc, bridge CNI, kube-proxy,
// CoreDNS; images built locally from the Dockerfiles): the chart installs and its pods become
// Ready, Functions in Node.js and Python (with a PyPI dependency) run in real pods, answer through
// the aggregated API, show their output through the log subresource, roll to new code with no
// failed call, and leave nothing behind when deleted. The cluster is its own (real-node.sh): the
// other suites rely on a cluster without nodes. It runs where the machine can and the node is
// built (helpers/real-node.ts decideRealNode); skipped otherwise, with the reason printed.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterEnv } from './helpers/cluster.js';
import {
  adminTls,
  installKubelessChart,
  nodeKubectl,
  nodeKubectlOk,
  REAL_NODE_UP_MS,
  realNodeDecision,
  realNode,
  realNodeInfo,
} from './helpers/real-node.js';
import { waitFor } from './helpers/wait.js';

const decision = realNodeDecision('real-node suite');
const suite = decision.run ? describe : describe.skip;

const UP_MS = REAL_NODE_UP_MS;
jest.setTimeout(300_000);

const ns = 'e2e-real-node';
const marker = randomUUID().slice(0, 8);
const work = mkdtempSync(join(tmpdir(), 'kubeless-real-node-'));

const kubectl = nodeKubectl;
const kubectlOk = nodeKubectlOk;
const base = (name: string) => `/apis/subresources.kubeless.io/v1/namespaces/${ns}/functions/${name}`;

// kubectl create --raw sends its file untyped, so the runtimes hand the function bytes: both
// functions decode them, as a function written for kubectl callers would.
function nodeCode(version: number): string {
  return [
    'module.exports = {',
    '  hello: (event) => {',
    '    const data = Buffer.isBuffer(event.data) ? JSON.parse(event.data.toString()) : event.data;',
    `    console.log('${marker} v${version} got ' + JSON.stringify(data));`,
    `    return { version: ${version}, got: data };`,
    '  },',
    '};',
    '',
  ].join('\n');
}

const pythonCode = [
  'import datetime, json',
  'import humanize  # from PyPI, installed by the init container',
  '',
  'def ago(event, context):',
  "    data = event['data']",
  '    if isinstance(data, (bytes, bytearray)):',
  '        data = json.loads(data)',
  `    print('${marker} python got', data, flush=True)`,
  "    return {'seconds': data, 'words': humanize.naturaldelta(datetime.timedelta(seconds=data))}",
  '',
].join('\n');

// The Python runtime image doubles as a small web server and a client: nothing to pull. The client
// retries while the server starts, and prints what it got.
const server = [
  'import http.server as h',
  'class H(h.BaseHTTPRequestHandler):',
  '    def do_GET(self):',
  '        self.send_response(200); self.end_headers(); self.wfile.write(b"served by web")',
  'h.HTTPServer(("", 8000), H).serve_forever()',
].join('\n');
const client = [
  'import time, urllib.request',
  'for _ in range(120):',
  '    try:',
  '        print(urllib.request.urlopen("http://web.e2e-node-smoke.svc.cluster.local/", timeout=2).read().decode()); break',
  '    except Exception as e:',
  '        err = e; time.sleep(1)',
  'else:',
  '    raise SystemExit(str(err))',
].join('\n');
const smokePod = (name: string, code: string, extra: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'e2e-node-smoke', labels: { app: name } },
  spec: {
    containers: [
      {
        name,
        image: 'kubeless/runtime-python:3.11',
        imagePullPolicy: 'Never',
        command: ['python3', '-c', code],
        ...extra,
      },
    ],
    restartPolicy: 'Never',
  },
});
const smokeManifest = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    smokePod('web', server, { readinessProbe: { tcpSocket: { port: 8000 }, periodSeconds: 1 } }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'e2e-node-smoke' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8000 }] },
    },
    smokePod('client', client, {}),
  ],
});

function functionManifest(name: string, spec: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name, namespace: ns },
    spec,
  });
}

async function readyStatus(name: string): Promise<string> {
  const r = await kubectl([
    'get',
    'function',
    name,
    '-n',
    ns,
    '-o',
    'jsonpath={.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].reason}',
  ]);
  return r.stdout.trim();
}

/** Invokes through kubectl create --raw, as a user would; returns the parsed answer. */
async function invoke(name: string, body: unknown): Promise<unknown> {
  const file = join(work, `${name}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(body));
  return JSON.parse(await kubectlOk(['create', '--raw', `${base(name)}/invoke`, '-f', file])) as unknown;
}

beforeAll(async () => {
  if (!decision.run) return;
  await realNode('up', UP_MS);
}, UP_MS + 60_000);

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  if (!decision.run || process.env.KUBELESS_E2E_KEEP_REAL_NODE === '1') return;
  await realNode('down', 300_000);
}, 360_000);

suite('a real node', () => {
  test('a pod reaches another through its Service name (bridge CNI, kube-proxy, CoreDNS)', async () => {
    await kubectlOk(['create', 'namespace', 'e2e-node-smoke']);
    await kubectlOk(['apply', '-f', '-'], smokeManifest);
    const phase = await waitFor(
      'the client pod to finish',
      async () => {
        const r = await kubectl([
          'get',
          'pod',
          'client',
          '-n',
          'e2e-node-smoke',
          '-o',
          'jsonpath={.status.phase}',
        ]);
        return ['Succeeded', 'Failed'].includes(r.stdout) ? r.stdout : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    const logs = await kubectl(['logs', 'client', '-n', 'e2e-node-smoke']);
    expect({ phase, logs: logs.stdout.trim() }).toEqual({ phase: 'Succeeded', logs: 'served by web' });
    await kubectlOk(['delete', 'namespace', 'e2e-node-smoke', '--wait=false']);
  });

  test('helm install: every Kubeless pod Ready, the APIService Available', async () => {
    // Waits for the APIService to be Available too.
    await installKubelessChart();
    const deployments = JSON.parse(
      await kubectlOk(['get', 'deployments', '-n', 'kubeless', '-o', 'json']),
    ) as {
      items: { metadata: { name: string }; spec: { replicas: number }; status: { readyReplicas?: number } }[];
    };
    expect(deployments.items.map((d) => [d.metadata.name, d.status.readyReplicas ?? 0]).sort()).toEqual(
      deployments.items.map((d) => [d.metadata.name, d.spec.replicas]).sort(),
    );
    expect(deployments.items.length).toBeGreaterThanOrEqual(3);
  });

  test('Node.js and Python (with a PyPI dependency) functions become Ready in a restricted namespace', async () => {
    await kubectlOk(['create', 'namespace', ns]);
    // Pod Security Admission enforces `restricted` here: function pods (with their init steps)
    // must pass it for real, as docs/security.md tells operators to configure.
    await kubectlOk(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted']);
    const manifests = [
      functionManifest('hello', { runtime: 'nodejs20', handler: 'hello.hello', function: nodeCode(1) }),
      functionManifest('ago', {
        runtime: 'python3.11',
        handler: 'timeago.ago',
        function: pythonCode,
        deps: 'humanize==4.9.0\n',
      }),
    ];
    for (const m of manifests) await kubectlOk(['apply', '-f', '-'], m);
    for (const name of ['hello', 'ago']) {
      await waitFor(`Function ${name} Ready`, async () => (await readyStatus(name)).startsWith('True'), {
        timeoutMs: 240_000,
        intervalMs: 2000,
      });
    }
  });

  test('kubectl create --raw invokes both; the log subresource shows what the function printed', async () => {
    expect(await invoke('hello', { n: 1 })).toEqual({ version: 1, got: { n: 1 } });
    expect(await invoke('ago', 90000)).toEqual({ seconds: 90000, words: 'a day' });
    for (const [name, line] of [
      ['hello', `${marker} v1 got {"n":1}`],
      ['ago', `${marker} python got 90000`],
    ]) {
      const log = await waitFor(
        `the printed line in functions/${name}/log`,
        async () => {
          const r = await kubectl(['get', '--raw', `${base(name)}/log?tailLines=50`]);
          return r.stdout.includes(line) ? r.stdout : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 1000 },
      );
      expect(log).toContain(line);
    }
  });

  test('log?follow=true streams a line the function prints after the request started', async () => {
    const follow = spawn('kubectl', ['get', '--raw', `${base('hello')}/log?follow=true&tailLines=5`], {
      env: clusterEnv(realNodeInfo()),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    follow.stdout.on('data', (c: Buffer) => (seen += c.toString()));
    follow.stderr.on('data', (c: Buffer) => (seen += c.toString()));
    try {
      await waitFor('the followed log to start', async () => seen.includes(`${marker} v1 got`), {
        timeoutMs: 30_000,
      });
      expect(await invoke('hello', { n: 'followed' })).toEqual({ version: 1, got: { n: 'followed' } });
      await waitFor(
        'the new line on the open stream',
        async () => seen.includes(`${marker} v1 got {"n":"followed"}`),
        {
          timeoutMs: 30_000,
        },
      );
      expect(follow.exitCode).toBeNull();
    } finally {
      follow.kill('SIGTERM');
    }
  });

  test("a CronJobTrigger's job pod runs under restricted and calls the function", async () => {
    const trigger = JSON.stringify({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 'tick', namespace: ns },
      spec: { 'function-name': 'hello', schedule: '* * * * *', payload: { n: 'cron' } },
    });
    await kubectlOk(['apply', '-f', '-'], trigger);
    try {
      const line = `${marker} v1 got {"n":"cron"}`;
      await waitFor(
        'the scheduled call in functions/hello/log',
        async () =>
          (await kubectl(['get', '--raw', `${base('hello')}/log?tailLines=100`])).stdout.includes(line),
        { timeoutMs: 180_000, intervalMs: 2000 },
      );
    } finally {
      await kubectl(['delete', 'cronjobtrigger', 'tick', '-n', ns, '--wait=false']);
    }
  });

  test('a code update rolls out while a client calls continuously: new answer, no failed call', async () => {
    const info = realNodeInfo();
    const agent = new Agent({ ...adminTls(), keepAlive: true });
    const calls: { status: number; version?: number; error?: string }[] = [];
    const call = (): Promise<void> =>
      new Promise((resolve) => {
        const req = request(
          `${info.server}${base('hello')}/invoke`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' }, timeout: 30_000 },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => {
              let version: number | undefined;
              try {
                version = (JSON.parse(text) as { version?: number }).version;
              } catch {
                // A non-JSON answer is a failed call; its text is kept below.
              }
              calls.push({
                status: res.statusCode ?? 0,
                version,
                error: version ? undefined : text.slice(0, 300),
              });
              resolve();
            });
          },
        );
        req.on('error', (err) => {
          calls.push({ status: 0, error: err.message });
          resolve();
        });
        req.end(JSON.stringify({ n: calls.length }));
      });
    let stop = false;
    const client = (async () => {
      while (!stop) await call();
    })();
    try {
      await waitFor('a first answer from the running client', async () => calls.length > 3);
      await kubectlOk([
        'patch',
        'function',
        'hello',
        '-n',
        ns,
        '--type',
        'merge',
        '-p',
        // checksum: null has the webhook compute the new code's checksum.
        JSON.stringify({ spec: { function: nodeCode(2), checksum: null } }),
      ]);
      await waitFor('the new code to answer', async () => calls.some((c) => c.version === 2), {
        timeoutMs: 240_000,
        intervalMs: 500,
      });
      // Keep calling until the old pod is gone, so its shutdown is covered too.
      await waitFor(
        'one pod left for the Function',
        async () => {
          const r = await kubectl(['get', 'pods', '-n', ns, '-l', 'function=hello', '-o', 'name']);
          return r.stdout.trim().split('\n').filter(Boolean).length === 1;
        },
        { timeoutMs: 120_000, intervalMs: 1000 },
      );
    } finally {
      stop = true;
      await client;
      agent.destroy();
    }
    const failed = calls.filter((c) => c.status !== 200 || c.version === undefined);
    expect({
      failedCalls: failed.length,
      firstFailures: failed.slice(0, 3),
      totalCalls: calls.length > 5,
      newAnswer: calls.at(-1)?.version,
    }).toEqual({ failedCalls: 0, firstFailures: [], totalCalls: true, newAnswer: 2 });
  });

  test('deleting the Functions removes their Deployments, Services, ConfigMaps and pods', async () => {
    await kubectlOk(['delete', 'function', 'hello', 'ago', '-n', ns]);
    const left = await waitFor(
      'nothing labelled created-by=kubeless left',
      async () => {
        const r = await kubectlOk([
          'get',
          'deployments,services,configmaps,pods',
          '-n',
          ns,
          '-l',
          'created-by=kubeless',
          '-o',
          'name',
        ]);
        const pods = await kubectlOk(['get', 'pods', '-n', ns, '-o', 'name']);
        return r.trim() === '' && pods.trim() === '' ? 'none' : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 2000 },
    );
    expect(left).toBe('none');
  });
});
