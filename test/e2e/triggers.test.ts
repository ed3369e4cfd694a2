// The desired Ingress and CronJob of HTTP and cron triggers against the real control plane:
// the apiserver accepts them as generated, and the garbage collector removes them with the trigger.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { DEFAULT_CONFIG } from '../../controller/config.js';
import { PAYLOAD_ENV, desiredCronJob } from '../../controller/triggers/cronjob.js';
import { desiredIngress } from '../../controller/triggers/ingress.js';
import type { CronJobTrigger, HTTPTrigger } from '../../lib/types.js';
import { kubectl, kubectlJson, kubectlOk, run } from './helpers/kubectl.js';
import { installChartCrds } from './helpers/crd.js';
import { waitFor } from './helpers/wait.js';

// Each CLI call starts node + tsx (about 18 s on the shared 2-core machine under load), and the
// CLI tests make up to 7 of them.
jest.setTimeout(300_000);

const ns = `e2e-trig-${process.pid}`;

async function apply(obj: object): Promise<void> {
  await kubectlOk(['apply', '--server-side', '--field-manager', 'kubeless-e2e', '-f', '-'], {
    input: JSON.stringify(obj),
  });
}

// The CLI from the TypeScript sources (tsx), with the test cluster's KUBECONFIG from run().
const CLI = [
  "import { buildProgram } from './cli/main.ts';",
  "await (await buildProgram()).parseAsync(process.argv.slice(1), { from: 'user' });",
].join('\n');

function cli(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CLI, '--', ...args], {
    timeoutMs: 60_000,
  });
}

async function gone(kind: string, name: string): Promise<boolean> {
  const r = await kubectl(['get', kind, name, '-n', ns]);
  return r.code !== 0 && /NotFound|not found/.test(r.stderr);
}

beforeAll(async () => {
  await installChartCrds([
    'httptriggers.kubeless.io',
    'cronjobtriggers.kubeless.io',
    'functions.kubeless.io',
  ]);
  await kubectlOk(['create', 'namespace', ns]);
  // The Function the triggers name. A controller running against the shared cluster (another
  // suite's, or a bench's) removes a trigger's Ingress/CronJob while its Function is missing;
  // with the Function present it would apply exactly what these tests apply.
  await apply({
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'hello', namespace: ns },
    spec: {
      runtime: 'nodejs20',
      handler: 'h.f',
      function: 'module.exports={f:()=>1}',
      'function-content-type': 'text',
    },
  });
});

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=false']);
});

describe('HTTPTrigger Ingress', () => {
  test('is accepted with its class, rule, TLS and nginx annotations, and goes with the trigger', async () => {
    await apply({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'HTTPTrigger',
      metadata: { name: 'web', namespace: ns },
      spec: {
        'function-name': 'hello',
        'host-name': 'hello.example.com',
        path: '/hi',
        'tls-secret': 'hello-cert',
        'basic-auth-secret': 'users',
        'cors-enable': true,
      },
    });
    const trigger = await kubectlJson<HTTPTrigger>(['get', 'httptrigger', 'web', '-n', ns]);
    await apply(desiredIngress(trigger));
    const ing = await kubectlJson<ReturnType<typeof desiredIngress>>(['get', 'ingress', 'web', '-n', ns]);
    expect(ing.spec?.ingressClassName).toBe('nginx');
    expect(ing.spec?.rules?.[0]?.host).toBe('hello.example.com');
    expect(ing.spec?.rules?.[0]?.http?.paths[0]).toMatchObject({
      path: '/hi',
      pathType: 'Prefix',
      backend: { service: { name: 'hello', port: { number: 8080 } } },
    });
    expect(ing.spec?.tls).toEqual([{ hosts: ['hello.example.com'], secretName: 'hello-cert' }]);
    expect(ing.metadata?.annotations?.['nginx.ingress.kubernetes.io/auth-secret']).toBe('users');
    expect(ing.metadata?.ownerReferences?.[0]?.uid).toBe(trigger.metadata.uid);

    await kubectlOk(['delete', 'httptrigger', 'web', '-n', ns]);
    await waitFor('the garbage collector to delete the Ingress', () => gone('ingress', 'web'));
  });
});

describe('CronJobTrigger CronJob', () => {
  test('is accepted with schedule, time zone, Forbid, deadline and argv, and goes with the trigger', async () => {
    await apply({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'CronJobTrigger',
      metadata: { name: 'nightly', namespace: ns },
      spec: { 'function-name': 'hello', schedule: '0 3 * * *', timeZone: 'Europe/Berlin', payload: { a: 1 } },
    });
    const trigger = await kubectlJson<CronJobTrigger>(['get', 'cronjobtrigger', 'nightly', '-n', ns]);
    await apply(desiredCronJob(trigger, undefined, DEFAULT_CONFIG));
    const cj = await kubectlJson<ReturnType<typeof desiredCronJob>>(['get', 'cronjob', 'nightly', '-n', ns]);
    expect(cj.spec?.schedule).toBe('0 3 * * *');
    expect(cj.spec?.timeZone).toBe('Europe/Berlin');
    expect(cj.spec?.concurrencyPolicy).toBe('Forbid');
    expect(cj.spec?.jobTemplate.spec?.activeDeadlineSeconds).toBe(180);
    const c = cj.spec?.jobTemplate.spec?.template.spec?.containers[0];
    expect(c?.args?.slice(0, 3)).toEqual(['invoke', '--url', `http://hello.${ns}.svc:8080`]);
    expect(c?.env).toEqual([{ name: PAYLOAD_ENV, value: '{"a":1}' }]);
    expect(cj.metadata?.ownerReferences?.[0]?.uid).toBe(trigger.metadata.uid);

    await kubectlOk(['delete', 'cronjobtrigger', 'nightly', '-n', ns]);
    await waitFor('the garbage collector to delete the CronJob', () => gone('cronjob', 'nightly'));
  });
});

describe('kubeless trigger http|cronjob', () => {
  test('create stores what the apiserver accepts, update patches, list shows it, delete removes it', async () => {
    const created = await cli([
      'trigger',
      'cronjob',
      'create',
      'cli-cron',
      '-n',
      ns,
      '--function-name',
      'hello',
      '--schedule',
      '@hourly',
      '--payload',
      '{"x":2}',
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const stored = await kubectlJson<CronJobTrigger>(['get', 'cronjobtrigger', 'cli-cron', '-n', ns]);
    expect(stored.spec).toEqual({ 'function-name': 'hello', schedule: '@hourly', payload: { x: 2 } });

    expect(
      (await cli(['trigger', 'cronjob', 'update', 'cli-cron', '-n', ns, '--time-zone', 'Europe/Berlin']))
        .code,
    ).toBe(0);
    const updated = await kubectlJson<CronJobTrigger>(['get', 'cronjobtrigger', 'cli-cron', '-n', ns]);
    expect(updated.spec.timeZone).toBe('Europe/Berlin');
    expect(updated.spec.schedule).toBe('@hourly');

    expect(
      (
        await cli([
          'trigger',
          'http',
          'create',
          'cli-web',
          '-n',
          ns,
          '--function-name',
          'hello',
          '--path',
          'api',
        ])
      ).code,
    ).toBe(0);
    const listed = await cli(['trigger', 'http', 'list', '-n', ns]);
    expect(listed.stdout).toMatch(/cli-web\s+\S+\s+hello\s+\*\s+\/api\s+nginx/);

    const bad = await cli([
      'trigger',
      'cronjob',
      'create',
      'bad',
      '-n',
      ns,
      '--function-name',
      'hello',
      '--schedule',
      '* *',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/five fields/);

    expect((await cli(['trigger', 'http', 'delete', 'cli-web', '-n', ns])).code).toBe(0);
    expect(await gone('httptrigger', 'cli-web')).toBe(true);
  });
});

describe('kubeless autoscale', () => {
  test("create sets the Function's HPA spec, list shows it, delete clears it", async () => {
    await apply({
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'Function',
      metadata: { name: 'scaled', namespace: ns },
      spec: {
        runtime: 'nodejs20',
        handler: 'h.f',
        function: 'module.exports={f:()=>1}',
        'function-content-type': 'text',
      },
    });
    const made = await cli([
      'autoscale',
      'create',
      'scaled',
      '-n',
      ns,
      '--min',
      '2',
      '--max',
      '5',
      '--value',
      '60',
    ]);
    expect(made.stderr).toBe('');
    const fn = await kubectlJson<{ spec: { horizontalPodAutoscaler?: Record<string, unknown> } }>([
      'get',
      'function',
      'scaled',
      '-n',
      ns,
    ]);
    expect(fn.spec.horizontalPodAutoscaler).toMatchObject({
      kind: 'HorizontalPodAutoscaler',
      spec: { minReplicas: 2, maxReplicas: 5 },
    });
    expect((await cli(['autoscale', 'list', '-n', ns])).stdout).toMatch(/scaled\s+2\s+5\s+Resource/);
    expect((await cli(['autoscale', 'delete', 'scaled', '-n', ns])).code).toBe(0);
    const after = await kubectlJson<{ spec: { horizontalPodAutoscaler?: unknown } }>([
      'get',
      'function',
      'scaled',
      '-n',
      ns,
    ]);
    expect(after.spec.horizontalPodAutoscaler).toBeUndefined();
  });
});
