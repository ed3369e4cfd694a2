// Function create latency through the real kube-apiserver, without and with our admission webhook
// registered (mutating + validating, reached over TLS at the host's address). Needs the test control
// plane: `npm run cluster:up`, then `node --import tsx bench/webhook-create-latency.ts [creates]`.
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { readClusterInfo, clusterEnv } from '../test/e2e/helpers/cluster.js';
import { renderWebhookConfigs, scopeToNamespaceLabel } from '../webhook/manifests.js';
import { runWebhook } from '../webhook/run.js';

const N = Number(process.argv[2] ?? 200);
const info = readClusterInfo();
const tag = `bench-${process.pid}`;
const [plainNs, hookedNs, sysNs] = [`${tag}-plain`, `${tag}-hooked`, `${tag}-sys`];

function kubectl(args: string[], input?: string): void {
  const r = spawnSync('kubectl', args, { env: clusterEnv(info), input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
}

const kc = new KubeConfig();
kc.loadFromFile(info.kubeconfig);
const custom = kc.makeApiClient(CustomObjectsApi);
const spec = {
  runtime: 'nodejs22',
  handler: 'hello.handler',
  function: "module.exports.handler = () => 'hi';\n",
  deps: '',
};

async function measure(namespace: string, label: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = -10; i < N; i++) {
    const body = {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'Function',
      metadata: { name: `${label}-${i + 10}` },
      spec,
    };
    const t = process.hrtime.bigint();
    await custom.createNamespacedCustomObject({
      group: 'kubeless.io',
      version: 'v1beta1',
      namespace,
      plural: 'functions',
      body,
    });
    // The first ten warm connections and caches up; they are not counted.
    if (i >= 0) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

const q = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

for (const n of [plainNs, hookedNs, sysNs]) kubectl(['create', 'namespace', n]);
kubectl(['label', 'namespace', hookedNs, `kubeless-webhook-bench=${tag}`]);
const webhook = await runWebhook(
  {
    host: info.hostAddress,
    port: 0,
    certMode: 'self',
    certDir: '',
    namespace: sysNs,
    service: 'kubeless-webhook',
    secret: 'kubeless-webhook-certs',
    certHosts: [info.hostAddress],
    mutatingConfigs: [`${tag}-kubeless-defaults`],
    validatingConfigs: [`${tag}-kubeless-validation`],
    apiServices: [],
    certLifetimeMs: 3_600_000,
    rotateAt: 0.667,
    checkIntervalMs: 600_000,
    propagationDelayMs: 0,
    bodyLimitBytes: 3 * 1024 * 1024,
    lookupTimeoutMs: 3000,
    requestTimeoutMs: 10_000,
    clusterChecks: true,
    catalogConfigMap: 'kubeless-runtimes',
    catalogRefreshMs: 1_000,
    kubeconfig: info.kubeconfig,
  },
  pino({ level: 'warn' }),
);
try {
  const configs = scopeToNamespaceLabel(
    renderWebhookConfigs({
      namespace: sysNs,
      service: 'kubeless-webhook',
      url: `https://${info.hostAddress}:${webhook.port}`,
      namePrefix: tag,
    }),
    'kubeless-webhook-bench',
    tag,
  );
  kubectl(['apply', '-f', '-'], configs.map((c) => stringify(c)).join('---\n'));
  await webhook.refresh();
  // Give kube-apiserver's informer time to see the configurations before timing.
  await new Promise((r) => setTimeout(r, 3000));

  const plain = await measure(plainNs, 'plain');
  const hooked = await measure(hookedNs, 'hooked');
  const stored = (await custom.getNamespacedCustomObject({
    group: 'kubeless.io',
    version: 'v1beta1',
    namespace: hookedNs,
    plural: 'functions',
    name: 'hooked-0',
  })) as { spec: { timeout?: string } };
  if (stored.spec.timeout !== '180')
    throw new Error('the webhook did not default the hooked Functions: the measurement is invalid');

  const row = (name: string, xs: number[]) =>
    `| ${name.padEnd(16)} | ${[q(xs, 0.5), q(xs, 0.9), q(xs, 0.99), mean(xs)].map((v) => v.toFixed(2).padStart(7)).join(' | ')} |`;
  process.stdout.write(
    [
      `Function create latency, ${N} sequential creates each (ms), Kubernetes ${info.kubernetesVersion}, ${info.mode} network`,
      '| path             |     p50 |     p90 |     p99 |    mean |',
      '| ---------------- | ------: | ------: | ------: | ------: |',
      row('no webhook', plain),
      row('mutate+validate', hooked),
      `| ratio            | ${[0.5, 0.9, 0.99].map((p) => (q(hooked, p) / q(plain, p)).toFixed(2).padStart(7)).join(' | ')} | ${(mean(hooked) / mean(plain)).toFixed(2).padStart(7)} |`,
      '',
    ].join('\n'),
  );
} finally {
  await webhook.stop();
  spawnSync(
    'kubectl',
    ['delete', 'mutatingwebhookconfiguration', `${tag}-kubeless-defaults`, '--ignore-not-found'],
    { env: clusterEnv(info) },
  );
  spawnSync(
    'kubectl',
    ['delete', 'validatingwebhookconfiguration', `${tag}-kubeless-validation`, '--ignore-not-found'],
    { env: clusterEnv(info) },
  );
  spawnSync('kubectl', ['delete', 'namespace', plainNs, hookedNs, sysNs, '--wait=false'], {
    env: clusterEnv(info),
  });
}
