// Invoke path through kube-apiserver, side by side in one run, same function, same client:
//   aggregated: kube-apiserver → APIService → `kubeless api` (SubjectAccessReview, cached) → function
//   service proxy: kube-apiserver's services/<name>:8080/proxy → function (what the original used)
//   kubeless api: `kubeless api` called as kube-apiserver calls it (front-proxy certificate) → function
//   direct: the client straight to the function (the floor; no Kubernetes in the path)
// First at --concurrency connections (throughput), then at one connection, where the medians of
// paths that differ by one hop give what each hop adds (kube-apiserver, `kubeless api`, function).
// Two clusters:
// - default: the test control plane (test/cluster/session.sh starts it when none runs;
//   KUBELESS_E2E_DIR and the other KUBELESS_E2E_* variables pick another one) with `kubeless api`
//   and the function as processes on the host. It registers v1.subresources.kubeless.io, so run it
//   on a control plane nobody else tests on. Needs the built runtime (the npm script builds).
// - --real-node: the real-node cluster, already up (test/cluster/real-node.sh up; its
//   KUBELESS_NODE_E2E_DIR): the chart installed, a Function in a pod (bench/invoke-path/real-node.ts).
//   npm run bench:invoke -- [--real-node] [--seconds 10] [--rounds 3] [--concurrency 8]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { freePort, hostServiceManifest, registerHostPod } from '../test/e2e/helpers/host-service.js';
import { createCa, createServingCert } from '../lib/certs/index.js';
import {
  clusterScripts,
  readClusterInfo,
  repoRoot,
  stateDir,
  type ClusterInfo,
} from '../test/e2e/helpers/cluster.js';
import { kubectl, kubectlOk } from '../test/e2e/helpers/kubectl.js';
import { waitFor } from '../test/e2e/helpers/wait.js';
import { drive, summarize, type Sample, type Summary, type Target } from './invoke-path/load.js';
import { realNodeSetup } from './invoke-path/real-node.js';
import {
  AGGREGATED,
  apiDirectTarget,
  DIRECT,
  hops,
  pathTargets,
  SERVICE_PROXY,
  type BenchSetup,
} from './invoke-path/targets.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}
const SECONDS = arg('seconds', 10);
const ROUNDS = arg('rounds', 3);
const CONCURRENCY = arg('concurrency', 8);
const REAL_NODE = process.argv.includes('--real-node');
const ns = `bench-invoke-${process.pid}`;
const APISERVICE = 'v1.subresources.kubeless.io';
const children: ChildProcess[] = [];
let registered = false;

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
}

async function hostSetup(info: ClusterInfo): Promise<BenchSetup> {
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
  registered = true;
  await kubectlOk(['apply', '-f', '-'], {
    input: `${hostServiceManifest({ namespace: ns, name: 'kubeless-api', port: 443, address: info.hostAddress, targetPort: apiPort })}---\n${stringify(apiService)}`,
  });
  const kc = new KubeConfig();
  kc.loadFromFile(info.kubeconfig);
  const admin: Target['tls'] = {};
  await kc.applyToHTTPSOptions(admin);
  return {
    where: `the test control plane (${info.server}): kubeless api and the function as processes on this host`,
    targets: [
      ...pathTargets(info.server, ns, 'echo', admin, `http://${info.hostAddress}:${fnPort}/`),
      apiDirectTarget(`https://${info.hostAddress}:${apiPort}`, ns, 'echo', {
        ca: ca.cert,
        cert: readFileSync(join(stateDir, 'pki/front-proxy-client.crt')),
        key: readFileSync(join(stateDir, 'pki/front-proxy-client.key')),
        servername: host,
      }),
    ],
    tearDown: hostTearDown,
  };
}

/** Also after a set-up that failed half-way; another run's APIService is left alone. */
async function hostTearDown(): Promise<void> {
  for (const c of children) c.kill('SIGTERM');
  if (registered) await kubectl(['delete', 'apiservice', APISERVICE, '--ignore-not-found']);
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

function table(title: string, sums: Summary[]): void {
  console.log(`\n${title}`);
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
}

const ratio = (a: Summary, b: Summary): string =>
  `throughput ${(a.perSecond / b.perSecond).toFixed(2)}x, p50 ${(a.p50 / b.p50).toFixed(2)}x, p99 ${(a.p99 / b.p99).toFixed(2)}x`;

/** Rounds alternate the paths so a burst of load from elsewhere hits every path alike. */
async function measure(targets: Target[], concurrency: number): Promise<Map<string, Summary>> {
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.label, []]));
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const t of targets) samples.get(t.label)!.push(await drive(t, SECONDS, concurrency));
  }
  for (const s of [...samples.values()].flat()) {
    if (s.firstFailure)
      console.log(`first failure on ${s.label} (${concurrency} connections): ${s.firstFailure}`);
  }
  return new Map(targets.map((t) => [t.label, summarize(samples.get(t.label)!)]));
}

async function run(setup: BenchSetup): Promise<void> {
  const { targets } = setup;
  await waitFor(
    'every path to answer',
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
  const wide = await measure(targets, CONCURRENCY);
  const one = await measure(targets, 1);
  const load = loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
  const get = (m: Map<string, Summary>, label: string): Summary => m.get(label)!;
  console.log(`\ninvoke paths on ${setup.where}`);
  console.log(
    `${ROUNDS} rounds x ${SECONDS}s per path and concurrency, keep-alive clients, load average ${load}`,
  );
  table(`${CONCURRENCY} concurrent connections`, [...wide.values()]);
  console.log(`\naggregated / service proxy: ${ratio(get(wide, AGGREGATED), get(wide, SERVICE_PROXY))}`);
  console.log(`aggregated / direct:        ${ratio(get(wide, AGGREGATED), get(wide, DIRECT))}`);
  table('1 connection', [...one.values()]);
  console.log(`\naggregated / service proxy: ${ratio(get(one, AGGREGATED), get(one, SERVICE_PROXY))}`);
  console.log('\nper hop at 1 connection (differences of p50s; aggregated = the sum):');
  for (const h of hops(one)) console.log(`  ${h.ms.toFixed(2).padStart(7)} ms  ${h.hop}`);
  console.log(`  ${get(one, AGGREGATED).p50.toFixed(2).padStart(7)} ms  aggregated, end to end`);
  const proxyHop = get(one, SERVICE_PROXY).p50 - get(one, DIRECT).p50;
  console.log(`  (services/proxy: kube-apiserver adds ${proxyHop.toFixed(2)} ms over the direct call)`);
}

async function main(): Promise<void> {
  if (REAL_NODE) {
    const setup = await realNodeSetup();
    try {
      await run(setup);
    } finally {
      await setup.tearDown();
    }
    return;
  }
  const acquire = spawnSync('bash', [join(clusterScripts, 'session.sh'), 'acquire', String(process.pid)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (acquire.status !== 0) throw new Error('test/cluster/session.sh acquire failed; its messages are above');
  try {
    await run(await hostSetup(readClusterInfo()));
  } finally {
    await hostTearDown();
    spawnSync('bash', [join(clusterScripts, 'session.sh'), 'release', String(process.pid)], {
      stdio: 'inherit',
    });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
