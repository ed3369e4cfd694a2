// The local platform as a Target: a checkout's own CLI, with no kubeconfig (so it talks to
// http://127.0.0.1:8080 exactly as a new user's does) unless the platform listens elsewhere, and
// kubectl pointed at the same server.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newUserEnv } from '../fresh-checkout.js';
import { exec, type Target } from './target.js';

export interface LocalTargetOptions {
  /** The checkout whose bin/kubeless.js is run. */
  checkout: string;
  /** The platform's URL; http://127.0.0.1:8080 is reached with no kubeconfig at all. */
  server: string;
  kafkaBrokers?: string;
  /** Set up on the user's machine outside Kubeless (e.g. NODE_EXTRA_CA_CERTS). */
  machineEnv?: Record<string, string>;
}

export function localTarget(o: LocalTargetOptions): Target {
  // A home with no ~/.kube: nothing from this machine's kubeconfig leaks in.
  const home = mkdtempSync(path.join(tmpdir(), 'kubeless-compat-home-'));
  const env = newUserEnv(home, o.machineEnv);
  if (o.kafkaBrokers) env.KAFKA_BROKERS = o.kafkaBrokers;
  if (o.server !== 'http://127.0.0.1:8080') {
    const kubeconfig = path.join(home, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'local', cluster: { server: o.server } }],
        users: [{ name: 'local', user: {} }],
        contexts: [{ name: 'local', context: { cluster: 'local', user: 'local' } }],
        'current-context': 'local',
      }),
    );
    env.KUBECONFIG = kubeconfig;
  }
  const bin = path.join(o.checkout, 'bin/kubeless.js');
  return {
    kind: 'local',
    fileHost: '127.0.0.1',
    kafkaBrokers: o.kafkaBrokers,
    kubeless: (args, timeoutMs = 60_000) =>
      exec(process.execPath, [bin, ...args], env, timeoutMs, o.checkout),
    kubectl: (args, timeoutMs = 60_000) => exec('kubectl', ['-s', o.server, ...args], env, timeoutMs),
    functionUrl: (namespace, name) =>
      Promise.resolve({
        url: `${o.server}/apis/subresources.kubeless.io/v1/namespaces/${namespace}/functions/${name}/invoke`,
        done: () => undefined,
      }),
  };
}
