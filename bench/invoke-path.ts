// Invoke path through kube-apiserver, side by side in one run, same function, same client:
//   aggregated: kube-apiserver → APIService → `kubeless api` (SubjectAccessReview, cached) → function
//   service proxy: kube-apiserver's services/<name>:8080/proxy → function (what the original used)
//   direct: the client straight to the function (the floor; no Kubernetes in the path)
// Needs the built runtime (the npm script builds) and the test control plane (started here through test/cluster/session.sh
// when none runs; KUBELESS_E2E_DIR and the other KUBELESS_E2E_* variables pick another one).
// It registers v1.subresources.kubeless.io, so run it on a control plane nobody else tests on.
//   npm run bench:invoke -- [--seconds 10] [--rounds 3] [--concurrency 8]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { freePort, hostServiceManifest, registerHostPod } from '../test/e2e/helpers/host-service.js';
import { createCa, createServingCert } from '../lib/certs/index.js';
import { clusterScripts, readClusterInfo, repoRoot, type ClusterInfo } from '../test/e2e/helpers/cluster.js';
import { kubectl, kubectlOk } from '../test/e2e/helpers/kubectl.js';
import { waitFor } from '../test/e2e/helpers/wait.js';
import { drive, summarize, type Sample, type Summary, type Target } from './invoke-path/load.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}
const SECONDS = arg('seconds', 10);
const ROUNDS = arg('rounds', 3);
const CONCURRENCY = arg('concurrency', 8);
const ns = `bench-invoke-${process.pid}`;
const APISERVICE = 'v1.subresources.kubeless.io';
const children: ChildProcess[] = [];

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
}

async function setUp(info: ClusterInfo): Promise<{ fnPort: number }> {
  const existing = await kubectl(['get', 'apiservice', APISERVICE]);
  if (existing.code === 0) {
    throw new Error(
      `${APISERVICE} is already registered on this control plane (a test run or an install uses it); ` +
        'run the bench on a control plane of its own (set KUBELESS_E2E_DIR and the KUBELESS_E2E_* ports)',
    );
  }
  await kubectlOk(['apply', '-f', join(repoRoot, 'charts/kubeless/crds')]);
  await kubectlOk(['create', 'namespace', ns]);
  const code = mkdtempSync(join(tmpdir(), 'kubeless-bench-invoke-'));
  writeFileSync(
    join(code, 'echo.js'),
    'module.exports.echo = (event) => ({ ok: true, size: event.data ? 1 : 0 });\n',
  );
  const fnPort = await freePort(info.hostAddress);
  start(process.execPath, [join(repoRoot, 'dist/runtimes/nodejs/server.js')], {
    FUNC_HANDLER: 'echo',
    MOD_NAME: 'echo',
    FUNC_PORT: String(fnPort),
    FUNC_TIMEOUT: '30',
    KUBELESS_INSTALL_VOLUME: code,
    KUBELESS_LISTEN_HOST: info.hostAddress,
  });
  const fn = {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'echo', namespace: ns },
    spec: {
      runtime: 'nodejs20',
      handler: 'echo.echo',
      function: 'module.exports = {}',
      deps: '',
      timeout: '30',
    },
  };
  await kubectlOk(['apply', '-f', '-'], { input: stringify(fn) });
  await registerHostPod(ns, 'echo-host', info.hostAddress);
  await kubectlOk(['apply', '-f', '-'], {
    input: hostServiceManifest({
      namespace: ns,
      name: 'echo',
      port: 8080,
      address: info.hostAddress,
      targetPort: fnPort,
      pod: 'echo-host',
    }),
  });

  const certs = mkdtempSync(join(tmpdir(), 'kubeless-bench-api-certs-'));
  const now = new Date();
  const ca = createCa({ commonName: 'bench-api-ca', notBefore: now, lifetimeMs: 864e5 });
  const host = `kubeless-api.${ns}.svc`;
  const pair = createServingCert({ ca, commonName: host, hosts: [host], notBefore: now, lifetimeMs: 864e5 });
  writeFileSync(join(certs, 'tls.crt'), pair.cert);
  writeFileSync(join(certs, 'tls.key'), pair.key);
  const apiPort = await freePort(info.hostAddress);
  // Its own process, as in a cluster: the load client must not share its event loop.
  start(
    process.execPath,
    [
      join(repoRoot, 'bin/kubeless.js'),
      'api',
      ...['--host', info.hostAddress, '--port', String(apiPort), '--cert-dir', certs],
      ...['--kubeconfig', info.kubeconfig, '--service-address', 'endpoints'],
    ],
    { LOG_LEVEL: 'warn' },
  );
  const apiService = {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: APISERVICE },
    spec: {
      group: 'subresources.kubeless.io',
      version: 'v1',
      groupPriorityMinimum: 100,
      versionPriority: 15,
      service: { name: 'kubeless-api', namespace: ns, port: 443 },
      caBundle: Buffer.from(ca.cert).toString('base64'),
    },
  };
  await kubectlOk(['apply', '-f', '-'], {
    input: `${hostServiceManifest({ namespace: ns, name: 'kubeless-api', port: 443, address: info.hostAddress, targetPort: apiPort })}---\n${stringify(apiService)}`,
  });
  return { fnPort };
}

async function tearDown(): Promise<void> {
  for (const c of children) c.kill('SIGTERM');
  await kubectl(['delete', 'apiservice', APISERVICE, '--ignore-not-found']);
  await kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
}

function row(s: Summary): string {
  const cells = [
    s.label.padEnd(16),
    String(s.requests).padStart(8),
    String(s.failures).padStart(6),
    s.perSecond.toFixed(0).padStart(8),
    s.p50.toFixed(2).padStart(8),
    s.p99.toFixed(2).padStart(8),
  ];
  return cells.join('  ');
}

async function main(): Promise<void> {
  const acquire = spawnSync('bash', [join(clusterScripts, 'session.sh'), 'acquire', String(process.pid)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (acquire.status !== 0) throw new Error('test/cluster/session.sh acquire failed; its messages are above');
  try {
    const info = readClusterInfo();
    const { fnPort } = await setUp(info);
    const kc = new KubeConfig();
    kc.loadFromFile(info.kubeconfig);
    const tls: { ca?: string; cert?: string; key?: string } = {};
    await kc.applyToHTTPSOptions(tls);
    const body = JSON.stringify({ hello: 'world', n: 42 });
    const targets: Target[] = [
      {
        label: 'aggregated',
        url: `${info.server}/apis/subresources.kubeless.io/v1/namespaces/${ns}/functions/echo/invoke`,
        tls,
        body,
      },
      {
        label: 'service proxy',
        url: `${info.server}/api/v1/namespaces/${ns}/services/echo:8080/proxy/`,
        tls,
        body,
      },
      { label: 'direct', url: `http://${info.hostAddress}:${fnPort}/`, tls: {}, body },
    ];
    await waitFor(
      'both paths to answer',
      async () => {
        for (const t of targets) {
          const s = await drive(t, 0.2, 1);
          if (s.latenciesMs.length === 0) throw new Error(`${t.label}: ${s.firstFailure ?? 'no answer'}`);
        }
        return true;
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
    for (const t of targets) await drive(t, 3, CONCURRENCY); // warm-up: connections, JIT, authz cache
    const samples = new Map<string, Sample[]>(targets.map((t) => [t.label, []]));
    // Rounds alternate the paths so a burst of load from elsewhere hits both alike.
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const t of targets) samples.get(t.label)!.push(await drive(t, SECONDS, CONCURRENCY));
    }
    const sums = targets.map((t) => summarize(samples.get(t.label)!));
    const [agg, proxy, direct] = sums as [Summary, Summary, Summary];
    const load = (await import('node:os'))
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ');
    console.log(
      `\ninvoke paths: ${ROUNDS} rounds x ${SECONDS}s per path, ${CONCURRENCY} concurrent keep-alive clients, load average ${load}`,
    );
    console.log(
      [
        'path'.padEnd(16),
        'requests'.padStart(8),
        'failed'.padStart(6),
        'req/s'.padStart(8),
        'p50 ms'.padStart(8),
        'p99 ms'.padStart(8),
      ].join('  '),
    );
    for (const s of sums) console.log(row(s));
    console.log(
      `\naggregated / service proxy: throughput ${(agg.perSecond / proxy.perSecond).toFixed(2)}x, ` +
        `p50 ${(agg.p50 / proxy.p50).toFixed(2)}x, p99 ${(agg.p99 / proxy.p99).toFixed(2)}x`,
    );
    console.log(
      `aggregated / direct:        throughput ${(agg.perSecond / direct.perSecond).toFixed(2)}x, ` +
        `p50 ${(agg.p50 / direct.p50).toFixed(2)}x, p99 ${(agg.p99 / direct.p99).toFixed(2)}x`,
    );
    for (const s of [...samples.values()].flat()) {
      if (s.firstFailure) console.log(`first failure on ${s.label}: ${s.firstFailure}`);
    }
  } finally {
    await tearDown();
    spawnSync('bash', [join(clusterScripts, 'session.sh'), 'release', String(process.pid)], {
      stdio: 'inherit',
    });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
