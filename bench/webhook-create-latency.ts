// Function create latency through the real kube-apiserver, without and with our admission webhook
// registered (mutating + validating, reached over TLS at the host's address). Needs the test control
// plane: `npm run cluster:up`, then `node --import tsx bench/webhook-create-latency.ts [creates]`.
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { readClusterInfo } from '../test/e2e/helpers/cluster.js';
import { startHostWebhook } from '../test/e2e/helpers/host-webhook.js';
import { kubectl, kubectlOk } from '../test/e2e/helpers/kubectl.js';

const N = Number(process.argv[2] ?? 200);
const info = readClusterInfo();
const tag = `bench-${process.pid}`;
const [plainNs, hookedNs, sysNs] = [`${tag}-plain`, `${tag}-hooked`, `${tag}-sys`];

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

await kubectlOk(['create', 'namespace', plainNs]);
// The same webhook, registration and readiness wait as test/e2e/webhook.test.ts; the rotation check
// and propagation delay are off so that nothing but admission runs while timing.
const hosted = await startHostWebhook({
  info,
  namespace: sysNs,
  prefix: tag,
  scope: { key: 'kubeless-webhook-bench', value: tag },
  scopedNamespaces: [hookedNs],
  logger: pino({ level: 'warn' }),
  overrides: { checkIntervalMs: 600_000, propagationDelayMs: 0 },
});
try {
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
  await hosted.remove();
  await kubectl(['delete', 'namespace', plainNs, '--wait=false', '--ignore-not-found']);
}
