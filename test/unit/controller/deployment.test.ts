import { describe, expect, test } from '@jest/globals';
import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import { desiredDeployment } from '../../../controller/desired/deployment.js';
import { CONFIG, makeFunction, NODE, OWNER, PYTHON } from './fixtures.js';
import { resolveWith } from '../../helpers/resolve-with.js';

const RESTRICTED = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};
const PREPARE: V1Container = {
  name: 'prepare',
  image: 'kubeless/kubeless:test',
  imagePullPolicy: 'IfNotPresent',
  command: ['kubeless', 'prepare', '--source', '/kubeless-source', '--target', '/kubeless'],
  env: [{ name: 'KUBELESS_RUNTIME', value: JSON.stringify(NODE) }],
  volumeMounts: [
    { name: 'kubeless', mountPath: '/kubeless' },
    { name: 'tmp', mountPath: '/tmp' },
    { name: 'function-source', mountPath: '/kubeless-source', readOnly: true },
  ],
  securityContext: RESTRICTED,
};
const probe = { httpGet: { path: '/healthz', port: 8080 } };

function checksum(d: V1Deployment): string | undefined {
  return d.spec?.template.metadata?.annotations?.['kubeless.io/template-checksum'];
}

describe('desiredDeployment', () => {
  test('a plain Node.js function: the whole manifest', () => {
    const d = desiredDeployment(resolveWith(makeFunction(), NODE), CONFIG);
    expect(d).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'hello',
        namespace: 'team-a',
        labels: { app: 'greeter', function: 'hello', 'created-by': 'kubeless' },
        ownerReferences: [OWNER],
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { function: 'hello', 'created-by': 'kubeless' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: {
            labels: { app: 'greeter', function: 'hello', 'created-by': 'kubeless' },
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': '8080',
              'prometheus.io/path': '/metrics',
              'kubeless.io/template-checksum': expect.stringMatching(/^[0-9a-f]{64}$/),
            },
          },
          spec: {
            // 5 s drain + the 180 s default timeout + 5 s.
            terminationGracePeriodSeconds: 190,
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              runAsGroup: 1000,
              fsGroup: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            initContainers: [PREPARE],
            containers: [
              {
                name: 'hello',
                image: 'kubeless/nodejs20:1',
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
                env: [
                  { name: 'FUNC_HANDLER', value: 'hello' },
                  { name: 'MOD_NAME', value: 'handler' },
                  { name: 'FUNC_TIMEOUT', value: '180' },
                  { name: 'FUNC_PORT', value: '8080' },
                  { name: 'FUNC_RUNTIME', value: 'nodejs20' },
                  { name: 'FUNC_NAME', value: 'hello' },
                  { name: 'FUNC_NAMESPACE', value: 'team-a' },
                  { name: 'POD_NAMESPACE', value: 'team-a' },
                  { name: 'KUBELESS_INSTALL_VOLUME', value: '/kubeless' },
                  {
                    name: 'FUNC_MEMORY_LIMIT',
                    valueFrom: { resourceFieldRef: { containerName: 'hello', resource: 'limits.memory' } },
                  },
                ],
                volumeMounts: [
                  { name: 'kubeless', mountPath: '/kubeless' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
                readinessProbe: { ...probe, periodSeconds: 5, failureThreshold: 3 },
                livenessProbe: { ...probe, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 },
                // Keeps serving while its endpoint is withdrawn, so a rollout drops no call.
                lifecycle: { preStop: { sleep: { seconds: 5 } } },
                securityContext: RESTRICTED,
              },
            ],
            volumes: [
              { name: 'kubeless', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
              { name: 'function-source', configMap: { name: 'hello' } },
            ],
          },
        },
      },
    });
  });

  test('a zip with deps adds the runtime install step, as argv, from the runtime image', () => {
    const fn = makeFunction({
      runtime: 'python3.11',
      handler: 'main.run',
      function: 'UEsDBAo=',
      'function-content-type': 'base64+zip',
      deps: 'requests==2.32.3\n',
    });
    const init = desiredDeployment(resolveWith(fn, PYTHON), CONFIG).spec?.template.spec?.initContainers;
    expect(init?.map((c) => c.name)).toEqual(['prepare', 'install']);
    expect(init?.[1]).toEqual({
      name: 'install',
      image: 'kubeless/python3.11:1',
      imagePullPolicy: 'IfNotPresent',
      command: ['python3', '/runtime/install.py'],
      env: [
        { name: 'KUBELESS_INSTALL_VOLUME', value: '/kubeless' },
        { name: 'FUNC_RUNTIME', value: 'python3.11' },
        { name: 'HOME', value: '/tmp' },
      ],
      volumeMounts: [
        { name: 'kubeless', mountPath: '/kubeless' },
        { name: 'tmp', mountPath: '/tmp' },
      ],
      securityContext: RESTRICTED,
    });
  });

  test('a URL source: the prepare step gets no user data in argv, only the mounted ConfigMap', () => {
    const fn = makeFunction({ function: 'https://example.test/$(rm -rf /)', 'function-content-type': 'url' });
    const d = desiredDeployment(resolveWith(fn, NODE), CONFIG);
    const all = [
      ...(d.spec?.template.spec?.initContainers ?? []),
      ...(d.spec?.template.spec?.containers ?? []),
    ];
    for (const c of all) {
      expect(JSON.stringify(c.command ?? [])).not.toContain('example.test');
      expect(JSON.stringify(c.args ?? [])).not.toContain('example.test');
    }
  });

  test("the Function's labels reach its pods over the template's, never over the selector's", () => {
    // `kubeless function deploy --label foo:bar,bar=foo,foobar`, then `kubectl get pods -l foo=bar`
    // (the original examples' get-python-metadata verify step).
    const fn = makeFunction({
      deployment: {
        metadata: { labels: { bar: 'template' } },
        spec: {
          selector: { matchLabels: { tier: 'web' } },
          template: { metadata: { labels: { bar: 'template', tier: 'web' } } },
        },
      },
    });
    fn.metadata.labels = { foo: 'bar', bar: 'foo', foobar: '', function: 'other', 'created-by': 'me' };
    const d = desiredDeployment(resolveWith(fn, NODE), CONFIG);
    const expected = { foo: 'bar', bar: 'foo', foobar: '', function: 'hello', 'created-by': 'kubeless' };
    expect(d.metadata?.labels).toEqual(expected);
    expect(d.spec?.template.metadata?.labels).toEqual({ ...expected, tier: 'web' });
    expect(d.spec?.selector).toEqual({ matchLabels: { function: 'hello', 'created-by': 'kubeless' } });
  });

  test('the user template is merged: their fields win, containers by name, identity labels kept', () => {
    const fn = makeFunction({
      deployment: {
        metadata: { labels: { team: 'a', function: 'hijack' }, annotations: { note: 'x' } },
        spec: {
          replicas: 3,
          selector: { matchLabels: { other: 'x' } },
          template: {
            metadata: { labels: { tier: 'web' }, annotations: { 'prometheus.io/port': '9090' } },
            spec: {
              serviceAccountName: 'fn-sa',
              containers: [
                {
                  name: 'hello',
                  env: [
                    { name: 'FUNC_TIMEOUT', value: '5' },
                    { name: 'GREETING', value: 'hey' },
                  ],
                  resources: { limits: { memory: '128Mi' } },
                },
                { name: 'sidecar', image: 'busybox' },
              ],
            },
          },
        },
      },
    });
    const d = desiredDeployment(resolveWith(fn, NODE), CONFIG);
    expect(d.metadata?.labels).toEqual({
      app: 'greeter',
      team: 'a',
      function: 'hello',
      'created-by': 'kubeless',
    });
    expect(d.metadata?.annotations).toEqual({ note: 'x' });
    expect(d.spec?.replicas).toBe(3);
    expect(d.spec?.selector).toEqual({ matchLabels: { function: 'hello', 'created-by': 'kubeless' } });
    const tpl = d.spec!.template;
    expect(tpl.metadata?.labels).toEqual({
      tier: 'web',
      app: 'greeter',
      function: 'hello',
      'created-by': 'kubeless',
    });
    expect(tpl.metadata?.annotations?.['prometheus.io/port']).toBe('9090');
    expect(tpl.spec?.serviceAccountName).toBe('fn-sa');
    expect(tpl.spec?.containers.map((c) => c.name)).toEqual(['hello', 'sidecar']);
    const main = tpl.spec!.containers[0];
    expect(main.image).toBe('kubeless/nodejs20:1');
    expect(main.resources).toEqual({ limits: { memory: '128Mi' } });
    expect(main.env?.find((e) => e.name === 'FUNC_TIMEOUT')?.value).toBe('5');
    expect(main.env?.find((e) => e.name === 'GREETING')?.value).toBe('hey');
    expect(main.env?.filter((e) => e.name === 'FUNC_TIMEOUT')).toHaveLength(1);
    expect(tpl.spec?.containers[1]).toEqual({ name: 'sidecar', image: 'busybox' });
  });

  test('the function knows its name and namespace, unless the template sets them (POD_NAMESPACE from the pod)', () => {
    const own =
      desiredDeployment(resolveWith(makeFunction(), NODE), CONFIG).spec!.template.spec!.containers[0].env ??
      [];
    expect(own.filter((e) => /^(FUNC_NAME|FUNC_NAMESPACE|POD_NAMESPACE)$/.test(e.name))).toEqual([
      { name: 'FUNC_NAME', value: 'hello' },
      { name: 'FUNC_NAMESPACE', value: 'team-a' },
      { name: 'POD_NAMESPACE', value: 'team-a' },
    ]);
    const fromPod = { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } };
    const fn = makeFunction({
      deployment: {
        spec: { selector: {}, template: { spec: { containers: [{ name: 'hello', env: [fromPod] }] } } },
      },
    });
    const env = desiredDeployment(resolveWith(fn, NODE), CONFIG).spec!.template.spec!.containers[0].env ?? [];
    // One entry, the user's: an entry with both value and valueFrom would be refused by the API server.
    expect(env.filter((e) => e.name === 'POD_NAMESPACE')).toEqual([fromPod]);
  });

  test('a single unnamed container in the template (original Kubeless manifests) means the function container', () => {
    const fn = makeFunction({
      deployment: {
        spec: { selector: {}, template: { spec: { containers: [{ name: '', image: 'custom:1' }] } } },
      },
    });
    const containers = desiredDeployment(resolveWith(fn, NODE), CONFIG).spec?.template.spec?.containers;
    expect(containers).toHaveLength(1);
    expect(containers?.[0]).toMatchObject({ name: 'hello', image: 'custom:1' });
  });

  test('with an HPA the Deployment leaves replicas to the autoscaler', () => {
    const fn = makeFunction({
      horizontalPodAutoscaler: { spec: { maxReplicas: 5, scaleTargetRef: { kind: 'x', name: 'y' } } },
    });
    expect(desiredDeployment(resolveWith(fn, NODE), CONFIG).spec).not.toHaveProperty('replicas');
  });

  test('the empty HPA the original stored (maxReplicas 0) keeps one replica', () => {
    const fn = makeFunction({
      horizontalPodAutoscaler: {
        metadata: {},
        spec: { maxReplicas: 0, scaleTargetRef: { kind: '', name: '' } },
      },
    });
    expect(desiredDeployment(resolveWith(fn, NODE), CONFIG).spec?.replicas).toBe(1);
  });

  describe('template checksum', () => {
    const base = checksum(desiredDeployment(resolveWith(makeFunction(), NODE), CONFIG));
    test.each([
      ['code', { function: 'module.exports = { hello: () => "bye" };' }],
      ['deps', { deps: '{"dependencies":{}}' }],
      ['handler', { handler: 'handler.other' }],
      ['timeout', { timeout: '30' }],
      ['content type', { 'function-content-type': 'base64' }],
      [
        'env',
        {
          deployment: {
            spec: {
              selector: {},
              template: { spec: { containers: [{ name: 'hello', env: [{ name: 'A', value: '1' }] }] } },
            },
          },
        },
      ],
    ])('changes when the %s changes', (_what, change) => {
      expect(checksum(desiredDeployment(resolveWith(makeFunction(change), NODE), CONFIG))).not.toBe(base);
    });

    test('changes when the runtime changes', () => {
      expect(
        checksum(
          desiredDeployment(
            resolveWith(makeFunction(), { ...NODE, images: { runtime: 'n:2', install: 'n:2' } }),
            CONFIG,
          ),
        ),
      ).not.toBe(base);
    });

    test('changes when the runtime port changes (spec.service.ports targetPort)', () => {
      const fn = makeFunction({
        service: { ports: [{ name: 'http-function-port', port: 8081, targetPort: 8081 }] },
      });
      expect(checksum(desiredDeployment(resolveWith(fn, NODE), CONFIG))).not.toBe(base);
    });

    test('is stable for the same input and ignores the service and labels', () => {
      const fn = makeFunction({ service: { type: 'NodePort' } });
      fn.metadata.labels = { other: 'label' };
      expect(checksum(desiredDeployment(resolveWith(fn, NODE), CONFIG))).toBe(base);
    });
  });
});

describe('the runtime port follows spec.service.ports (lib/function/ports.ts)', () => {
  function runtimeOf(d: V1Deployment) {
    const c = d.spec?.template.spec?.containers[0];
    return {
      FUNC_PORT: c?.env?.find((e) => e.name === 'FUNC_PORT')?.value,
      containerPort: c?.ports,
      readiness: c?.readinessProbe?.httpGet?.port,
      liveness: c?.livenessProbe?.httpGet?.port,
      prometheus: d.spec?.template.metadata?.annotations?.['prometheus.io/port'],
    };
  }

  test.each([
    [
      'kubeless function deploy --port 8081',
      { name: 'http-function-port', port: 8081, targetPort: 8081 },
      8081,
    ],
    ['--servicePort 80 --port 9090', { name: 'http-function-port', port: 80, targetPort: 9090 }, 9090],
    ['no targetPort (Kubernetes targets the port)', { name: 'http-function-port', port: 8083 }, 8083],
  ])('%s: FUNC_PORT, containerPort, probes and metrics port', (_label, port, expected) => {
    const d = desiredDeployment(resolveWith(makeFunction({ service: { ports: [port] } }), NODE), CONFIG);
    expect(runtimeOf(d)).toEqual({
      FUNC_PORT: String(expected),
      containerPort: [{ name: 'http', containerPort: expected, protocol: 'TCP' }],
      readiness: expected,
      liveness: expected,
      prometheus: String(expected),
    });
  });

  test('without spec.service.ports the runtime listens on 8080', () => {
    const d = desiredDeployment(resolveWith(makeFunction({ service: { type: 'NodePort' } }), NODE), CONFIG);
    expect(runtimeOf(d)).toMatchObject({ FUNC_PORT: '8080', readiness: 8080, prometheus: '8080' });
  });
});
