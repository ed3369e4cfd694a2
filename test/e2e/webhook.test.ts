// The admission webhook on the real control plane: kube-apiserver calls our HTTPS server (registered
// with `url:` at the host's address), which manages its own CA in a Secret and publishes it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { splitPem } from '../../lib/certs/bundle.js';
import { CertStore } from '../../lib/certs/kube.js';
import { SelfManagedCerts } from '../../lib/certs/manager.js';
import type { RunningWebhook } from '../../webhook/run.js';
import { readClusterInfo } from './helpers/cluster.js';
import { startHostWebhook, type HostWebhook } from './helpers/host-webhook.js';
import { kubectl, kubectlJson, kubectlOk } from './helpers/kubectl.js';
import { waitFor } from './helpers/wait.js';

const tag = `wh-${process.pid}`;
const sysNs = `e2e-${tag}-sys`;
const ns = `e2e-${tag}`;
const doomedNs = `e2e-${tag}-doomed`;
const prefix = `e2e-${tag}`;
const mutatingName = `${prefix}-kubeless-defaults`;
const validatingName = `${prefix}-kubeless-validation`;
const info = readClusterInfo();

let hosted: HostWebhook | undefined;
let webhook: RunningWebhook | undefined;
let custom: CustomObjectsApi;

const validSpec = {
  runtime: 'nodejs22',
  handler: 'hello.handler',
  function: "module.exports.handler = () => 'hello';\n",
  deps: '',
};

function fnManifest(
  name: string,
  spec: Record<string, unknown>,
  namespace = ns,
  extraMeta: Record<string, unknown> = {},
): string {
  return stringify({
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name, namespace, ...extraMeta },
    spec,
  });
}

/** The certificate a fresh TLS connection to the webhook presents. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: info.hostAddress, port, rejectUnauthorized: false }, () => {
      const fp = s.getPeerX509Certificate()?.fingerprint256 ?? '';
      s.end();
      resolve(fp);
    });
    s.on('error', reject);
  });
}

async function configBundles(): Promise<string[]> {
  const m = await kubectlJson<{ webhooks: { clientConfig: { caBundle?: string } }[] }>([
    'get',
    'mutatingwebhookconfiguration',
    mutatingName,
  ]);
  return m.webhooks.map((w) => Buffer.from(w.clientConfig.caBundle ?? '', 'base64').toString('utf8'));
}

beforeAll(async () => {
  // The shared cluster runs other suites: our configurations admit only this suite's namespaces.
  hosted = await startHostWebhook({
    info,
    namespace: sysNs,
    prefix,
    scope: { key: 'kubeless-webhook-e2e', value: tag },
    scopedNamespaces: [ns, doomedNs],
    logger: pino({ level: process.env.E2E_LOG_LEVEL ?? 'warn' }),
  });
  webhook = hosted.running;

  const kc = new KubeConfig();
  kc.loadFromFile(info.kubeconfig);
  custom = kc.makeApiClient(CustomObjectsApi);
}, 180_000);

afterAll(async () => {
  await hosted?.remove();
}, 60_000);

describe('admission through kube-apiserver', () => {
  test('the CA and serving certificate are kept in a kubernetes.io/tls Secret and published as caBundle', async () => {
    const secret = await kubectlJson<{ type: string; data: Record<string, string> }>([
      'get',
      'secret',
      'kubeless-webhook-certs',
      '-n',
      sysNs,
    ]);
    expect(secret.type).toBe('kubernetes.io/tls');
    const bundle = Buffer.from(secret.data['ca.crt']!, 'base64').toString();
    for (const published of await configBundles())
      expect(splitPem(published)).toEqual(expect.arrayContaining(splitPem(bundle)));
  });

  test('kubectl apply of an invalid Function is denied, naming the field and the fix', async () => {
    const r = await kubectl(['apply', '-f', '-'], {
      input: fnManifest('bad-runtime', { ...validSpec, runtime: 'cobol85' }),
    });
    expect(r.code).not.toBe(0);
    // kubectl renders a 422 Invalid Status from a webhook like the apiserver's own validation errors.
    expect(r.stderr).toContain('The Function "bad-runtime" is invalid');
    expect(r.stderr).toMatch(
      /spec\.runtime: "cobol85" is not in the runtime catalog \(fix: use one of: .*nodejs22/,
    );
    expect((await kubectl(['get', 'function', 'bad-runtime', '-n', ns])).code).not.toBe(0);
  });

  test('defaults appear on the stored object', async () => {
    await kubectlOk(['apply', '-f', '-'], { input: fnManifest('defaults', validSpec) });
    const fn = await kubectlJson<{
      metadata: { labels: Record<string, string> };
      spec: Record<string, string>;
    }>(['get', 'function', 'defaults', '-n', ns]);
    expect(fn.spec.timeout).toBe('180');
    expect(fn.spec['function-content-type']).toBe('text');
    expect(fn.spec.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fn.metadata.labels).toMatchObject({ function: 'defaults', 'created-by': 'kubeless' });
  });

  test('an unquoted timeout from a Kubeless 1.x manifest is stored quoted, with a warning', async () => {
    const r = await kubectl(['apply', '-f', '-'], {
      input: fnManifest('old-timeout', { ...validSpec, timeout: 90 }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Warning: spec.timeout was given as the number 90/);
    const fn = await kubectlJson<{ spec: { timeout: string } }>(['get', 'function', 'old-timeout', '-n', ns]);
    expect(fn.spec.timeout).toBe('90');
  });

  test('--dry-run=server returns the defaulted object without storing it, and still denies invalid ones', async () => {
    const dry = await kubectlJson<{ spec: Record<string, string> }>(
      ['apply', '--dry-run=server', '-f', '-'],
      { input: fnManifest('dry', validSpec) },
    );
    expect(dry.spec.timeout).toBe('180');
    expect((await kubectl(['get', 'function', 'dry', '-n', ns])).code).not.toBe(0);
    const denied = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
      input: fnManifest('dry-bad', { ...validSpec, runtime: 'cobol85' }),
    });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('spec.runtime');
  });

  test('an HTTPTrigger naming a missing Secret or a taken route is denied; the route is free again once deleted', async () => {
    const trigger = (name: string, spec: Record<string, unknown>) =>
      stringify({
        apiVersion: 'kubeless.io/v1beta1',
        kind: 'HTTPTrigger',
        metadata: { name, namespace: ns },
        spec,
      });
    const base = { 'function-name': 'defaults', 'host-name': `${tag}.example.com`, path: 'orders' };
    const noSecret = await kubectl(['apply', '-f', '-'], {
      input: trigger('t-secret', { ...base, 'basic-auth-secret': 'nope' }),
    });
    expect(noSecret.code).not.toBe(0);
    expect(noSecret.stderr).toContain('spec.basic-auth-secret');
    await kubectlOk(['apply', '-f', '-'], { input: trigger('t-first', base) });
    const taken = await kubectl(['apply', '-f', '-'], {
      input: trigger('t-second', { ...base, path: '/orders/' }),
    });
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain(`HTTPTrigger ${ns}/t-first`);
    await kubectlOk(['delete', 'httptrigger', 't-first', '-n', ns]);
    await kubectlOk(['apply', '-f', '-'], { input: trigger('t-second', base) });
  });
});

test('the webhook follows the runtime catalog ConfigMap the controller uses', async () => {
  const catalog = stringify({
    runtimes: [
      {
        id: 'nodejs22',
        language: 'nodejs',
        version: '22',
        images: { runtime: 'kubeless/runtime-nodejs:22' },
      },
      {
        id: 'nodejs24',
        language: 'nodejs',
        version: '24',
        images: { runtime: 'kubeless/runtime-nodejs:24' },
      },
    ],
  });
  await kubectlOk([
    'create',
    'configmap',
    'kubeless-runtimes',
    '-n',
    sysNs,
    `--from-literal=runtimes=${catalog}`,
  ]);
  try {
    await waitFor(
      'nodejs24 to be accepted',
      async () => {
        const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
          input: fnManifest('node24', { ...validSpec, runtime: 'nodejs24' }),
        });
        return r.code === 0;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    const dropped = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
      input: fnManifest('py', { ...validSpec, runtime: 'python3.12' }),
    });
    expect(dropped.stderr).toMatch(
      /spec\.runtime: "python3\.12" is not in the runtime catalog \(fix: use one of: nodejs22, nodejs24/,
    );
  } finally {
    await kubectlOk(['delete', 'configmap', 'kubeless-runtimes', '-n', sysNs]);
  }
  await waitFor(
    'the built-in catalog to return',
    async () => {
      const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
        input: fnManifest('py', { ...validSpec, runtime: 'python3.12' }),
      });
      return r.code === 0;
    },
    { timeoutMs: 20_000, intervalMs: 500 },
  );
}, 60_000);

test('a certificate rotation during continuous creates causes zero failed admissions', async () => {
  const running = webhook!;
  const before = await servedFingerprint(running.port);
  const failures: string[] = [];
  let created = 0;
  let stop = false;
  const creator = async (id: number): Promise<void> => {
    for (let i = 0; !stop; i++) {
      const body = {
        apiVersion: 'kubeless.io/v1beta1',
        kind: 'Function',
        metadata: { name: `rot-${id}-${i}` },
        spec: validSpec,
      };
      try {
        await custom.createNamespacedCustomObject({
          group: 'kubeless.io',
          version: 'v1beta1',
          namespace: ns,
          plural: 'functions',
          body,
        });
        created++;
      } catch (err) {
        failures.push(String((err as { body?: unknown }).body ?? err).slice(0, 300));
      }
    }
  };
  const creators = [0, 1, 2].map(creator);
  await new Promise((r) => setTimeout(r, 1500));
  await running.rotate('e2e: first rotation under load');
  await new Promise((r) => setTimeout(r, 1500));
  await running.rotate('e2e: second rotation under load');
  await new Promise((r) => setTimeout(r, 1500));
  stop = true;
  await Promise.all(creators);
  process.stderr.write(`webhook rotation e2e: ${created} creates, ${failures.length} failures\n`);
  expect(failures).toEqual([]);
  expect(created).toBeGreaterThan(20);
  expect(await servedFingerprint(running.port)).not.toBe(before);
  // The CAs of all three generations are trusted until they expire: nothing that was valid stops being valid.
  for (const b of await configBundles()) expect(splitPem(b).length).toBeGreaterThanOrEqual(3);
  const served = new X509Certificate(
    Buffer.from(
      (
        await kubectlJson<{ data: Record<string, string> }>([
          'get',
          'secret',
          'kubeless-webhook-certs',
          '-n',
          sysNs,
        ])
      ).data['tls.crt']!,
      'base64',
    ),
  );
  expect(served.fingerprint256).toBe(await servedFingerprint(running.port));
}, 120_000);

test('with the webhook stopped, creates are refused but a namespace holding Functions is still deleted', async () => {
  // A finalizer forces an UPDATE of an object being deleted, the case that wedges namespaces when a
  // webhook is down and not scoped: our matchConditions skip such objects.
  await kubectlOk(['apply', '-f', '-'], {
    input: fnManifest('held', validSpec, doomedNs, { finalizers: ['e2e.kubeless.io/hold'] }),
  });
  await kubectlOk(['apply', '-f', '-'], { input: fnManifest('plain', validSpec, doomedNs) });
  await webhook!.stop();
  webhook = undefined;

  const refused = await kubectl(['apply', '-f', '-'], {
    input: fnManifest('while-down', validSpec, doomedNs),
  });
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('failed calling webhook');

  await kubectlOk(['delete', 'namespace', doomedNs, '--wait=false']);
  await waitFor(
    'Function held to be marked for deletion',
    async () => {
      const fn = await kubectlJson<{ metadata: { deletionTimestamp?: string } }>([
        'get',
        'function',
        'held',
        '-n',
        doomedNs,
      ]);
      return fn.metadata.deletionTimestamp !== undefined;
    },
    { timeoutMs: 60_000 },
  );
  await kubectlOk([
    'patch',
    'function',
    'held',
    '-n',
    doomedNs,
    '--type=json',
    '-p',
    '[{"op":"remove","path":"/metadata/finalizers"}]',
  ]);
  await waitFor(
    `namespace ${doomedNs} to be gone`,
    async () => (await kubectl(['get', 'namespace', doomedNs])).code !== 0,
    { timeoutMs: 90_000, intervalMs: 1000 },
  );
}, 180_000);

test('the CA bundle is also published to a named APIService (the aggregated API server shares lib/certs)', async () => {
  const name = `v1.${tag}.kubeless.io`;
  const apiService = {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name },
    spec: {
      group: `${tag}.kubeless.io`,
      version: 'v1',
      service: { namespace: sysNs, name: 'absent', port: 443 },
      groupPriorityMinimum: 100,
      versionPriority: 10,
    },
  };
  await kubectlOk(['apply', '-f', '-'], { input: stringify(apiService) });
  const kc = new KubeConfig();
  kc.loadFromFile(info.kubeconfig);
  try {
    const store = new CertStore(kc, sysNs, 'kubeless-webhook-certs');
    const stored = await store.read();
    expect(
      await store.publish(
        { apiServices: [name, `v1.absent-${tag}.kubeless.io`] },
        stored.material!.caBundle,
        new Date(),
      ),
    ).toEqual([`v1.absent-${tag}.kubeless.io`]);
    const got = await kubectlJson<{ spec: { caBundle: string } }>(['get', 'apiservice', name]);
    expect(splitPem(Buffer.from(got.spec.caBundle, 'base64').toString())).toEqual(
      splitPem(stored.material!.caBundle),
    );
  } finally {
    await kubectl(['delete', 'apiservice', name, '--ignore-not-found']);
  }
});

test('two replicas rotating at the same moment end up serving one certificate that every configuration trusts', async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(info.kubeconfig);
  const secret = 'race-certs';
  const served: string[][] = [[], []];
  const replicas = [0, 1].map(
    (i) =>
      new SelfManagedCerts({
        store: new CertStore(kc, sysNs, secret),
        targets: { validatingWebhookConfigurations: [validatingName] },
        hosts: [info.hostAddress],
        commonName: `replica-${i}`,
        lifetimeMs: 3_600_000,
        rotateAt: 0.667,
        propagationDelayMs: 500,
        checkIntervalMs: 600_000,
        logger: pino({ level: 'silent' }),
        onMaterial: (m) => served[i]!.push(m.tlsCert),
      }),
  );
  await Promise.all(replicas.map((r) => r.reconcile()));
  await Promise.all(replicas.map((r, i) => r.reconcile(`race ${i}`)));
  // Each replica's next check adopts whatever won the last write.
  await Promise.all(replicas.map((r) => r.reconcile()));
  const stored = await new CertStore(kc, sysNs, secret).read();
  expect(served.map((s) => s.at(-1))).toEqual([stored.material!.tlsCert, stored.material!.tlsCert]);
  const trusted = (
    await kubectlJson<{ webhooks: { clientConfig: { caBundle: string } }[] }>([
      'get',
      'validatingwebhookconfiguration',
      validatingName,
    ])
  ).webhooks;
  const signer = new X509Certificate(stored.material!.caCert!);
  for (const w of trusted) {
    const bundle = splitPem(Buffer.from(w.clientConfig.caBundle, 'base64').toString()).map(
      (p) => new X509Certificate(p).fingerprint256,
    );
    expect(bundle).toContain(signer.fingerprint256);
  }
  expect(new X509Certificate(stored.material!.tlsCert).checkIssued(signer)).toBe(true);
}, 60_000);
