// Controller throughput and memory against the real test control plane, shared with the e2e
// suites through test/cluster/session.sh (started on demand; KUBELESS_E2E_DIR picks another).
//   node --import tsx bench/controller.ts [--functions 1000] [--baseline <git ref>]
// In one run: (1) a plain client-node loop creates 3 objects per Function (ConfigMap, Deployment,
// Service: what the controller makes) one after another; (2) `kubeless controller` runs as its
// own process while the same number of Functions is created, and the clock stops when every
// Function has a status for its generation. With --baseline, step 2 runs first for that commit
// and then for the working tree, in the same run, so the two rows compare like for like. Each
// controller is compiled into a temp dir (dist/ of the checkout is left alone). Prints the rates,
// the ratio to the plain loop, the controller's peak resident memory (VmHWM) and, once all are
// reconciled, its RSS, V8 heap and external memory from its /metrics.
// Goals (issue #6): ratio >= 0.5, peak < 150 MiB at 1,000.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type V1ConfigMap,
  type V1Deployment,
  type V1Service,
} from '@kubernetes/client-node';
import { buildTree } from './build-tree.js';

const root = join(import.meta.dirname, '..');
const stateDir = process.env.KUBELESS_E2E_DIR ?? join(root, '.e2e');
const { values: flags } = parseArgs({
  options: { functions: { type: 'string', default: '1000' }, baseline: { type: 'string' } },
});
const count = Number(flags.functions);
const tag = `${process.pid}`;
const rawNs = `bench-raw-${tag}`;
const sysNs = `bench-sys-${tag}`;
const CODE = "module.exports.handler = () => 'hello';\n";
const labels = (name: string) => ({ function: name, 'created-by': 'bench' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function session(action: 'acquire' | 'release'): void {
  const r = spawnSync('bash', [join(root, 'test/cluster/session.sh'), action, tag], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`test/cluster/session.sh ${action} failed; logs in ${stateDir}/logs`);
}

/** A controller to run: a directory holding bin/kubeless.js and dist/, compiled from one tree. */
interface Build {
  label: string;
  dir: string;
}

function compile(label: string, ref: string | undefined): Build {
  return { label, dir: buildTree(ref, 'kubeless-bench-controller-') };
}

const info = () =>
  JSON.parse(readFileSync(join(stateDir, 'cluster.json'), 'utf8')) as { kubeconfig: string; path: string[] };

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Memory gauges (MiB) from the controller's /metrics: prom-client's default process metrics. */
async function memoryMetrics(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const gauge = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return {
    rss: gauge('process_resident_memory_bytes'),
    heapUsed: gauge('nodejs_heap_size_used_bytes'),
    heapTotal: gauge('nodejs_heap_size_total_bytes'),
    external: gauge('nodejs_external_memory_bytes'),
  };
}

interface Run {
  seconds: number;
  peakMiB: number;
  end: Record<string, number>;
}

async function main(): Promise<void> {
  const builds = [
    ...(flags.baseline ? [compile(`baseline ${flags.baseline}`, flags.baseline)] : []),
    compile('working tree', undefined),
  ];
  session('acquire');
  const kc = new KubeConfig();
  kc.loadFromFile(info().kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);

  async function reconciled(namespace: string): Promise<number> {
    const list = (await custom.listNamespacedCustomObject({
      group: 'kubeless.io',
      version: 'v1beta1',
      namespace,
      plural: 'functions',
    })) as { items: { metadata: { generation: number }; status?: { observedGeneration?: number } }[] };
    return list.items.filter((f) => f.status?.observedGeneration === f.metadata.generation).length;
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

  async function controllerRun(build: Build, fnNs: string): Promise<Run> {
    const port = await freePort();
    const args = ['controller', '--kubeconfig', info().kubeconfig, '--namespace', sysNs];
    args.push('--listen', `127.0.0.1:${port}`, '--lease-name', `bench-${tag}`, '--identity', `bench-${tag}`);
    console.log(`controller: ${build.label} (${build.dir})`);
    const child = spawn(process.execPath, [join(build.dir, 'bin/kubeless.js'), ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    try {
      await sleep(3000); // leader election and cache sync
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
      while ((await reconciled(fnNs)) < count) {
        peakMiB = Math.max(peakMiB, peakRss(child.pid!));
        await sleep(500);
      }
      const seconds = (performance.now() - start) / 1000;
      const end = await memoryMetrics(port);
      return { seconds, peakMiB: Math.max(peakMiB, peakRss(child.pid!)), end };
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }

  /** A run's Functions must be gone before the next controller starts, or it would cache them too. */
  async function deleteAndWait(namespace: string): Promise<void> {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    for (let i = 0; i < 600; i++) {
      try {
        await core.readNamespace({ name: namespace });
      } catch {
        return;
      }
      await sleep(1000);
    }
    throw new Error(
      `namespace ${namespace} still terminating after 10 minutes; is kube-controller-manager up?`,
    );
  }

  const fnNamespaces = builds.map((_, i) => `bench-fn-${tag}-${i}`);
  const env = {
    ...process.env,
    KUBECONFIG: info().kubeconfig,
    PATH: [...info().path, process.env.PATH].join(':'),
  };
  execFileSync(
    'kubectl',
    ['apply', '--server-side', '--force-conflicts', '-f', join(root, 'charts/kubeless/crds')],
    {
      env,
      stdio: 'ignore',
    },
  );
  execFileSync('kubectl', ['wait', '--for=condition=Established', 'crd/functions.kubeless.io'], {
    env,
    stdio: 'ignore',
  });
  try {
    for (const namespace of [rawNs, sysNs])
      await core.createNamespace({ body: { metadata: { name: namespace } } });
    const raw = await rawLoop();
    const rawRate = count / raw;
    await deleteAndWait(rawNs);
    // Each row is printed as soon as it is known: a run of 1,000 takes minutes on a loaded machine.
    const print = (r: string[]) => console.log(`| ${r.join(' | ')} |`);
    print([
      'what',
      'seconds',
      'Functions/s',
      'ratio',
      'peak RSS',
      'RSS at end',
      'heap used',
      'heap total',
      'external',
    ]);
    print([
      `plain loop, ${count * 3} creates`,
      raw.toFixed(1),
      rawRate.toFixed(1),
      '1',
      '-',
      '-',
      '-',
      '-',
      '-',
    ]);
    for (const [i, build] of builds.entries()) {
      await core.createNamespace({ body: { metadata: { name: fnNamespaces[i] } } });
      const run = await controllerRun(build, fnNamespaces[i]);
      const rate = count / run.seconds;
      const mib = (n: number | undefined) => `${(n ?? NaN).toFixed(0)} MiB`;
      print([
        `controller (${build.label}), ${count} Functions`,
        run.seconds.toFixed(1),
        rate.toFixed(1),
        (rate / rawRate).toFixed(2),
        mib(run.peakMiB),
        mib(run.end.rss),
        mib(run.end.heapUsed),
        mib(run.end.heapTotal),
        mib(run.end.external),
      ]);
      await deleteAndWait(fnNamespaces[i]);
    }
    console.log('\ngoals: ratio >= 0.5; peak RSS < 150 MiB at 1,000 Functions');
  } finally {
    for (const namespace of [rawNs, sysNs, ...fnNamespaces])
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    session('release');
    for (const b of builds) rmSync(b.dir, { recursive: true, force: true });
  }
}

await main();
