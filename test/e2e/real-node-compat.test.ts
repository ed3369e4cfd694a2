// The original Kubeless's habits on the cluster with a real node (issue 20, kubectl and helm):
// `helm test` and `helm test --logs`, the design document's Function applied unchanged, functions
// that know their own name and namespace, kubectl's untyped invoke bodies and its view of a
// timeout, `kubectl auth can-i` for invoke, and clients generated from the document the real
// kube-apiserver serves. Same cluster and decision as real-node.test.ts (helpers/real-node.ts);
// it brings the cluster up and down itself, like every real-node suite.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fetchServedDocument,
  runPythonClient,
  runTypeScriptClient,
  type Workspace,
} from '../clients/generated.js';
import { clusterEnv, repoRoot } from './helpers/cluster.js';
import { kubectlProxy, type KubectlProxy } from './helpers/kubectl-proxy.js';
import {
  installKubelessChart,
  nodeKubectl,
  nodeKubectlOk,
  REAL_NODE_UP_MS,
  realNodeDecision,
  realNode,
  realNodeInfo,
  runOnNode,
} from './helpers/real-node.js';
import { waitFor } from './helpers/wait.js';

const decision = realNodeDecision('real-node compat suite');
const suite = decision.run ? describe : describe.skip;

const UP_MS = REAL_NODE_UP_MS;
jest.setTimeout(300_000);

const ns = 'e2e-compat';
const work = mkdtempSync(join(tmpdir(), 'kubeless-real-node-compat-'));
const sub = (name: string) => `/apis/subresources.kubeless.io/v1/namespaces/${ns}/functions/${name}`;
const kubectl = nodeKubectl;
const kubectlOk = nodeKubectlOk;

function fn(name: string, spec: Record<string, string>, namespace = ns): string {
  return JSON.stringify({
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name, namespace },
    spec,
  });
}

// What the function received, as the runtime handed it over.
const ECHO = `module.exports.handler = (event) => {
  console.log('received ' + JSON.stringify(event.data));
  return {
    type: Buffer.isBuffer(event.data) ? 'bytes' : typeof event.data,
    got: Buffer.isBuffer(event.data) ? event.data.toString() : event.data,
    contentType: event.extensions.request.headers['content-type'] || null,
  };
};
`;
const SLOW = 'module.exports.handler = () => new Promise((r) => setTimeout(() => r("late"), 5000));\n';
// The handler's module names differ from the Functions' names, so a name taken from the module
// (what Python's context['function-name'] was before the pods got FUNC_NAME) shows.
const NODE_IDENT = 'module.exports.whoami = (event, context) => context["function-name"];\n';
const PY_IDENT = "def whoami(event, context):\n    return context['function-name']\n";

async function readyOf(name: string, namespace = ns): Promise<string> {
  const r = await kubectl([
    'get',
    'function',
    name,
    '-n',
    namespace,
    '-o',
    'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
  ]);
  return r.stdout.trim();
}

async function waitReady(names: string[], namespace = ns): Promise<void> {
  for (const name of names) {
    await waitFor(
      `Function ${namespace}/${name} Ready`,
      async () => (await readyOf(name, namespace)) === 'True',
      {
        timeoutMs: 240_000,
        intervalMs: 2000,
      },
    );
  }
}

/**
 * The runtime's own structured lines in a function's log, those that say whose they are (lines
 * may carry a `[pod/container] ` prefix; the user's prints are not JSON).
 */
async function runtimeLogLines(name: string): Promise<Array<Record<string, unknown>>> {
  const log = await kubectlOk(['get', '--raw', `${sub(name)}/log?tailLines=200`]);
  return log.split('\n').flatMap((line) => {
    try {
      const parsed: unknown = JSON.parse(line.replace(/^\[[^\]]*\] /, ''));
      return parsed !== null && typeof parsed === 'object' && 'namespace' in parsed
        ? [parsed as Record<string, unknown>]
        : [];
    } catch {
      return [];
    }
  });
}

beforeAll(async () => {
  if (!decision.run) return;
  await realNode('up', UP_MS);
  await installKubelessChart();
  await kubectlOk(['create', 'namespace', ns]);
  const manifests = [
    fn('echo', { runtime: 'nodejs20', handler: 'echo.handler', function: ECHO }),
    fn('slow', { runtime: 'nodejs20', handler: 'slow.handler', function: SLOW, timeout: '1' }),
    fn('node-ident', { runtime: 'nodejs20', handler: 'identity.whoami', function: NODE_IDENT }),
    fn('py-ident', { runtime: 'python3.11', handler: 'identity.whoami', function: PY_IDENT }),
  ];
  for (const m of manifests) await kubectlOk(['apply', '-f', '-'], m);
  await waitReady(['echo', 'slow', 'node-ident', 'py-ident']);
}, UP_MS + 600_000);

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  if (!decision.run || process.env.KUBELESS_E2E_KEEP_REAL_NODE === '1') return;
  await realNode('down', 300_000);
}, 360_000);

suite('helm test', () => {
  const helm = (args: string[]) => runOnNode('helm', args, { timeoutMs: 400_000 });

  /** Seconds from the test pod's creation to its container's end, from the pod's own status. */
  async function podSeconds(): Promise<{ created: number; ran: number }> {
    const pod = JSON.parse(
      await kubectlOk(['get', 'pod', 'kubeless-helm-test', '-n', 'kubeless', '-o', 'json']),
    ) as {
      metadata: { creationTimestamp: string };
      status: {
        containerStatuses: Array<{ state: { terminated?: { startedAt: string; finishedAt: string } } }>;
      };
    };
    const t = pod.status.containerStatuses[0]?.state.terminated;
    if (!t) throw new Error('the helm test pod has not finished');
    const end = Date.parse(t.finishedAt);
    return {
      created: (end - Date.parse(pod.metadata.creationTimestamp)) / 1000,
      ran: (end - Date.parse(t.startedAt)) / 1000,
    };
  }

  test('--logs prints the test output; a function a stopped run left behind is replaced, none is left', async () => {
    // A run stopped half-way leaves its function running in the test namespace.
    await kubectlOk(
      ['apply', '-f', '-'],
      fn(
        'helm-test',
        {
          runtime: 'nodejs20',
          handler: 'stale.handler',
          function: 'module.exports.handler = () => "stale";\n',
        },
        'kubeless-helm-test',
      ),
    );
    await waitReady(['helm-test'], 'kubeless-helm-test');
    const r = await helm(['test', 'kubeless', '-n', 'kubeless', '--logs']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(r.stdout).toMatch(/Phase:\s+Succeeded/);
    expect(r.stdout).toContain('POD LOGS: kubeless-helm-test');
    expect(r.stdout).toContain('{"echoed":{"ping":"pong"}}');
    const left = await kubectl(['get', 'function', 'helm-test', '-n', 'kubeless-helm-test']);
    expect(left.stderr).toMatch(/NotFound/);
  });

  test('a second run replaces the kept pod and returns when its test ends (figures printed)', async () => {
    const started = Date.now();
    const r = await helm(['test', 'kubeless', '-n', 'kubeless']);
    const helmSeconds = (Date.now() - started) / 1000;
    expect({ code: r.code, phase: /Phase:\s+(\w+)/.exec(r.stdout)?.[1] }).toEqual({
      code: 0,
      phase: 'Succeeded',
    });
    const pod = await podSeconds();
    // A figure, not an assertion (timings on a shared machine are noisy): Helm's wall time beside
    // the pod's own; before the Pod became the only hook, Helm waited a minute and more for the
    // hook namespace's deletion on top.
    process.stderr.write(
      `[e2e] helm test took ${helmSeconds.toFixed(1)} s; its pod ran ${pod.ran.toFixed(1)} s ` +
        `(${pod.created.toFixed(1)} s from creation to the end)\n`,
    );
  });
});

suite('the design document and kubectl habits', () => {
  test("the design document's Function (python27) applies unchanged and answers hello world", async () => {
    const r = await kubectl([
      'apply',
      '-n',
      ns,
      '-f',
      join(repoRoot, 'test/fixtures/design-doc/helloget.yaml'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Warning: spec\.runtime "python27" is no longer shipped; python3\.11/);
    await waitReady(['helloget']);
    const stored = JSON.parse(await kubectlOk(['get', 'function', 'helloget', '-n', ns, '-o', 'json'])) as {
      spec: Record<string, unknown>;
      status: Record<string, unknown>;
    };
    expect(stored.spec).toMatchObject({ runtime: 'python27', type: 'HTTP', topic: '', deps: '' });
    expect(stored.status).toMatchObject({ runtime: 'python3.11' });
    expect(await kubectlOk(['get', '--raw', `${sub('helloget')}/invoke`])).toBe('hello world');
  });

  test.each([['node-ident'], ['py-ident']])(
    '%s knows its name and namespace: it answers its name, the runtime logs both',
    async (name) => {
      expect(await kubectlOk(['get', '--raw', `${sub(name)}/invoke`])).toBe(name);
      const lines = await runtimeLogLines(name);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => l.namespace !== ns || l.name !== name)).toEqual([]);
    },
  );

  test('kubectl create --raw -f body.json (no content type) delivers the JSON document as JSON', async () => {
    const body = join(work, 'body.json');
    writeFileSync(body, '{"x": 42}');
    const r = await kubectl(['create', '--raw', `${sub('echo')}/invoke`, '-f', body]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ type: 'object', got: { x: 42 }, contentType: 'application/json' });
  });

  test('a timeout reaches kubectl as a Status with its reason', async () => {
    const r = await kubectl(['get', '--raw', `${sub('slow')}/invoke`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(
        `Error from server \\(Timeout\\): function ${ns}/slow: the function did not answer within its timeout of 1s`,
      ),
    );
  });

  test('kubectl auth can-i create functions --subresource=invoke: yes for an editor, no for a stranger', async () => {
    for (const sa of ['caller', 'stranger']) await kubectlOk(['create', 'serviceaccount', sa, '-n', ns]);
    await kubectlOk([
      'create',
      'rolebinding',
      'caller-edit',
      '-n',
      ns,
      '--clusterrole=edit',
      `--serviceaccount=${ns}:caller`,
    ]);
    const canI = (sa: string, verb: string, sub: string) =>
      kubectl([
        'auth',
        'can-i',
        verb,
        'functions',
        `--subresource=${sub}`,
        '-n',
        ns,
        `--as=system:serviceaccount:${ns}:${sa}`,
      ]);
    const yes = await canI('caller', 'create', 'invoke');
    expect({ out: yes.stdout.trim(), err: yes.stderr }).toEqual({ out: 'yes', err: '' });
    expect((await canI('caller', 'get', 'log')).stdout.trim()).toBe('yes');
    const no = await canI('stranger', 'create', 'invoke');
    expect({ out: no.stdout.trim(), err: no.stderr }).toEqual({ out: 'no', err: '' });
  });
});

suite('a function on its own port (kubeless function deploy --port 8081)', () => {
  test('the runtime listens on the targetPort; invoke and the Service reach it', async () => {
    const code = join(work, 'port.js');
    writeFileSync(code, 'module.exports.handler = () => "listening on " + process.env.FUNC_PORT;\n');
    // The flags exactly as the original CLI took them; it writes port and targetPort 8081.
    const deploy = await runOnNode(
      process.execPath,
      [
        ...[join(repoRoot, 'bin/kubeless.js'), 'function', 'deploy', 'port8081', '-n', ns],
        ...['--runtime', 'nodejs20', '--handler', 'port.handler', '--from-file', code, '--port', '8081'],
      ],
      { timeoutMs: 60_000 },
    );
    // stderr has nodejs20's end-of-life Warning (the only Node.js image on the node).
    expect({ code: deploy.code, stderr: deploy.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    await waitReady(['port8081']);
    const svc = JSON.parse(await kubectlOk(['get', 'service', 'port8081', '-n', ns, '-o', 'json'])) as {
      spec: { ports: Array<{ name: string; port: number; targetPort: number }> };
    };
    expect(svc.spec.ports).toEqual([
      expect.objectContaining({ name: 'http-function-port', port: 8081, targetPort: 8081 }),
    ]);
    expect(await kubectlOk(['get', '--raw', `${sub('port8081')}/invoke`])).toBe('listening on 8081');
    // As the original Makefiles called it: through the Service's port (kubectl proxy for curl).
    const proxy = await kubectlProxy(clusterEnv(realNodeInfo()));
    try {
      const r = await fetch(
        `${proxy.base}/api/v1/namespaces/${ns}/services/port8081:http-function-port/proxy/`,
      );
      expect({ status: r.status, body: await r.text() }).toEqual({ status: 200, body: 'listening on 8081' });
    } finally {
      proxy.stop();
    }
  });
});

suite('clients generated from the document the real kube-apiserver serves', () => {
  let proxy: KubectlProxy;
  let ws: Workspace;
  beforeAll(async () => {
    proxy = await kubectlProxy(clusterEnv(realNodeInfo()));
    ws = await fetchServedDocument(proxy.base);
  });
  afterAll(() => {
    ws?.close();
    proxy?.stop();
  });

  test.each([
    ['openapi-typescript + openapi-fetch', runTypeScriptClient, 'typescript'],
    ['openapi-python-client', runPythonClient, 'python'],
  ])(
    '%s: POST JSON to invoke, then read the log',
    async (_label, client, from) => {
      const r = await client(ws, { baseUrl: proxy.base, namespace: ns, name: 'echo', body: { from, n: 1 } });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.answer)).toEqual({
        type: 'object',
        got: { from, n: 1 },
        contentType: 'application/json',
      });
      expect(r.log).toContain(`received {"from":"${from}","n":1}`);
    },
    600_000,
  );
});
