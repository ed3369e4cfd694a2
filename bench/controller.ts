// Controller throughput and memory against the real test control plane (npm run cluster:up;
// KUBELESS_E2E_DIR picks another one).
//   node --import tsx bench/controller.ts [--functions 1000]
// In one run: (1) a plain client-node loop creates 3 objects per Function (ConfigMap, Deployment,
// Service: what the controller makes) one after another; (2) `kubeless controller` runs as its
// own process while the same number of Functions is created, and the clock stops when every
// Function has a status for its generation. Prints both rates, their ratio, and the controller's
// peak resident memory (VmHWM). Goals (issue #6): ratio >= 0.5, peak < 150 MiB at 1,000.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type V1ConfigMap,
  type V1Deployment,
  type V1Service,
} from '@kubernetes/client-node';

const root = join(import.meta.dirname, '..');
const stateDir = process.env.KUBELESS_E2E_DIR ?? join(root, '.e2e');
const info = JSON.parse(readFileSync(join(stateDir, 'cluster.json'), 'utf8')) as {
  kubeconfig: string;
  path: string[];
};
const count = Number(process.argv[process.argv.indexOf('--functions') + 1]) || 1000;
const tag = `${process.pid}`;
const rawNs = `bench-raw-${tag}`;
const fnNs = `bench-fn-${tag}`;
const sysNs = `bench-sys-${tag}`;

const kc = new KubeConfig();
kc.loadFromFile(info.kubeconfig);
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);

const CODE = "module.exports.handler = () => 'hello';\n";
const labels = (name: string) => ({ function: name, 'created-by': 'bench' });

function rawObjects(name: string): [V1ConfigMap, V1Deployment, V1Service] {
  const meta = { name, namespace: rawNs, labels: labels(name) };
  return [
    { metadata: meta, data: { 'hello.js': CODE, handler: 'hello.handler' } },
    {
      metadata: meta,
      spec: {
        replicas: 1,
        selector: { matchLabels: labels(name) },
        template: {
          metadata: { labels: labels(name) },
          spec: {
            containers: [{ name, image: 'kubeless/runtime-nodejs:20', ports: [{ containerPort: 8080 }] }],
          },
        },
      },
    },
    { metadata: meta, spec: { ports: [{ port: 8080, targetPort: 8080 }], selector: labels(name) } },
  ];
}

async function rawLoop(): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const [cm, dep, svc] = rawObjects(`f-${i}`);
    await core.createNamespacedConfigMap({ namespace: rawNs, body: cm });
    await apps.createNamespacedDeployment({ namespace: rawNs, body: dep });
    await core.createNamespacedService({ namespace: rawNs, body: svc });
  }
  return (performance.now() - start) / 1000;
}

function peakRss(pid: number): number {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    throw new Error(`the controller (pid ${pid}) exited during the run; its stderr is above`);
  }
  const m = /VmHWM:\s+(\d+) kB/.exec(text);
  return m ? Number(m[1]) / 1024 : NaN;
}

async function allReconciled(): Promise<number> {
  const list = (await custom.listNamespacedCustomObject({
    group: 'kubeless.io',
    version: 'v1beta1',
    namespace: fnNs,
    plural: 'functions',
  })) as { items: { metadata: { generation: number }; status?: { observedGeneration?: number } }[] };
  return list.items.filter((f) => f.status?.observedGeneration === f.metadata.generation).length;
}

async function controllerRun(): Promise<{ seconds: number; peakMiB: number }> {
  const runner = [
    "import { Command } from 'commander';",
    "import { register } from './controller/command.ts';",
    "const p = new Command('kubeless'); register(p);",
    "await p.parseAsync(process.argv.slice(1), { from: 'user' });",
  ].join('\n');
  const args = [
    'controller',
    '--kubeconfig',
    info.kubeconfig,
    '--namespace',
    sysNs,
    '--listen',
    '127.0.0.1:0',
  ];
  args.push('--lease-name', `bench-${tag}`, '--identity', `bench-${tag}`);
  // The built binary, as the image runs it; from the sources (tsx adds ~80 MiB) when not built.
  const built = existsSync(join(root, 'dist/cli/main.js'));
  const argv = built
    ? [join(root, 'bin/kubeless.js'), ...args]
    : ['--import', 'tsx', '--input-type=module', '-e', runner, '--', ...args];
  console.log(`controller: ${built ? 'node bin/kubeless.js (dist/)' : 'tsx from the sources'}`);
  const child = spawn(process.execPath, argv, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  try {
    await new Promise((r) => setTimeout(r, 3000)); // leader election and cache sync
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      await custom.createNamespacedCustomObject({
        group: 'kubeless.io',
        version: 'v1beta1',
        namespace: fnNs,
        plural: 'functions',
        body: {
          apiVersion: 'kubeless.io/v1beta1',
          kind: 'Function',
          metadata: { name: `f-${i}`, namespace: fnNs },
          spec: {
            runtime: 'nodejs20',
            handler: 'hello.handler',
            function: CODE,
            'function-content-type': 'text',
          },
        },
      });
    }
    let peakMiB = 0;
    while ((await allReconciled()) < count) {
      peakMiB = Math.max(peakMiB, peakRss(child.pid!));
      await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (performance.now() - start) / 1000;
    return { seconds, peakMiB: Math.max(peakMiB, peakRss(child.pid!)) };
  } finally {
    child.kill('SIGTERM');
  }
}

function ensureCrds(): void {
  const env = {
    ...process.env,
    KUBECONFIG: info.kubeconfig,
    PATH: [...info.path, process.env.PATH].join(':'),
  };
  const dir = join(root, 'charts/kubeless/crds');
  execFileSync('kubectl', ['apply', '--server-side', '--force-conflicts', '-f', dir], {
    env,
    stdio: 'ignore',
  });
  execFileSync('kubectl', ['wait', '--for=condition=Established', 'crd/functions.kubeless.io'], {
    env,
    stdio: 'ignore',
  });
}

async function main(): Promise<void> {
  ensureCrds();
  for (const namespace of [rawNs, fnNs, sysNs])
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  try {
    const raw = await rawLoop();
    const ctl = await controllerRun();
    const rawRate = count / raw;
    const ctlRate = count / ctl.seconds;
    const rows = [
      ['what', 'seconds', 'Functions/s', 'objects/s', 'peak RSS MiB'],
      [
        `plain loop, ${count * 3} creates`,
        raw.toFixed(1),
        rawRate.toFixed(1),
        ((count * 3) / raw).toFixed(1),
        '-',
      ],
      [
        `controller, ${count} Functions`,
        ctl.seconds.toFixed(1),
        ctlRate.toFixed(1),
        ((count * 3) / ctl.seconds).toFixed(1),
        ctl.peakMiB.toFixed(0),
      ],
    ];
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    console.log(
      `\nratio controller/plain loop: ${(ctlRate / rawRate).toFixed(2)} (goal >= 0.5); peak ${ctl.peakMiB.toFixed(0)} MiB (goal < 150)`,
    );
  } finally {
    for (const namespace of [rawNs, fnNs, sysNs])
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  }
}

await main();
