// Issue 18, item 5: what a Function may ask the controller to create. Before the fix the webhook
// admitted every request below (spec.deployment and spec.service passed through). The real
// `kubeless webhook` process, with a real policy file, over real TLS.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  admissionReview,
  functionRequest,
  issue,
  request,
  validSpec,
} from '../integration/webhook/helpers.js';
import { startWebhookProcess, type WebhookProcess } from '../integration/webhook/process.js';
import { ALLOWED, REFUSED, type PolicyCase } from './fixtures/function-requests.js';

jest.setTimeout(60_000);

interface Cause {
  field: string;
  message: string;
}
interface Answer {
  allowed: boolean;
  warnings?: string[];
  status?: { code: number; message: string; details?: { causes?: Cause[] } };
}

const certs = issue();
let dir: string;
let webhook: WebhookProcess;
let operatorWebhook: WebhookProcess;

async function start(policy: object | undefined): Promise<WebhookProcess> {
  const policyArgs: string[] = [];
  if (policy) {
    const file = join(dir, `policy-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(policy));
    policyArgs.push('--policy-file', file);
  }
  return startWebhookProcess([
    ...['--host', '127.0.0.1', '--port', '0', '--cert-mode', 'cert-manager', '--cert-dir', dir],
    ...['--no-cluster-checks', '--catalog-configmap', '', '--namespace', 'kubeless-system'],
    ...policyArgs,
  ]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'policy-webhook-'));
  writeFileSync(join(dir, 'tls.crt'), certs.tlsCert);
  writeFileSync(join(dir, 'tls.key'), certs.tlsKey);
  writeFileSync(join(dir, 'ca.crt'), certs.caBundle);
  // The default policy (no file), and one where the operator allowed a few things.
  [webhook, operatorWebhook] = await Promise.all([
    start(undefined),
    start({
      functions: {
        allowedServiceAccounts: ['it/reporter'],
        allowedServiceTypes: ['ClusterIP', 'NodePort'],
        allowedCapabilities: ['SYS_ADMIN'],
      },
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([webhook?.stop(), operatorWebhook?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

function specOf(c: PolicyCase): Record<string, unknown> {
  return {
    ...validSpec,
    ...(c.deployment ? { deployment: c.deployment } : {}),
    ...(c.service ? { service: c.service } : {}),
  };
}

async function review(
  hook: WebhookProcess,
  spec: Record<string, unknown>,
  over: Record<string, unknown> = {},
): Promise<Answer> {
  const res = await request(hook.port, '/validate', {
    ca: certs.caBundle,
    body: admissionReview(functionRequest('u', spec, over)),
  });
  expect(res.status).toBe(200);
  return (res.json() as { response: Answer }).response;
}

describe('the webhook refuses what the review showed passing through', () => {
  test.each(REFUSED.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const answer = await review(webhook, specOf(c));
    expect(answer.allowed).toBe(false);
    expect(answer.status?.code).toBe(422);
    const cause = answer.status?.details?.causes?.[0];
    // The field, the value the user wrote, and a fix.
    expect(cause?.field).toBe(c.field);
    expect(cause?.message).toContain(`${c.value}:`);
    expect(cause?.message).toMatch(/\(fix: .+\)/);
    // kubectl prints status.message: it names the field too.
    expect(answer.status?.message).toContain(`${c.field}: Forbidden: ${c.value}`);
  });

  test.each(ALLOWED.map((c) => [c.name, c] as const))('admits %s', async (_name, c) => {
    const answer = await review(webhook, specOf(c));
    expect(answer.status?.message).toBeUndefined();
    expect(answer.allowed).toBe(true);
  });

  test('a Function in the install namespace is refused even if the webhook is asked', async () => {
    const answer = await review(webhook, validSpec, {
      namespace: 'kubeless-system',
      object: {
        apiVersion: 'kubeless.io/v1beta1',
        kind: 'Function',
        metadata: { name: 'hello', namespace: 'kubeless-system' },
        spec: validSpec,
      },
    });
    expect(answer.allowed).toBe(false);
    expect(answer.status?.details?.causes?.[0]?.field).toBe('metadata.namespace');
  });

  test('code from a plain http URL is refused, saying why and how an operator allows it', async () => {
    const answer = await review(webhook, {
      ...validSpec,
      function: 'http://example.com/hello.js',
      'function-content-type': 'url',
    });
    expect(answer.allowed).toBe(false);
    const cause = answer.status?.details?.causes?.[0];
    expect(cause?.field).toBe('spec.function');
    expect(cause?.message).toMatch(/plain http: .*replace the function's code/);
    expect(cause?.message).toContain('functionPolicy.allowHttpSources');
  });

  test('code from an https URL without a checksum is admitted with a loud warning', async () => {
    const answer = await review(webhook, {
      ...validSpec,
      function: 'https://example.com/hello.js',
      'function-content-type': 'url',
    });
    expect(answer.allowed).toBe(true);
    expect(answer.warnings?.join('\n')).toMatch(
      /downloaded from https:\/\/example.com\/hello.js with no spec.checksum/,
    );
  });
});

describe("the operator's allowlist (chart value functionPolicy) widens exactly what it names", () => {
  test('an allowed service account, Service type and capability are admitted', async () => {
    for (const c of [
      { deployment: { spec: { template: { spec: { serviceAccountName: 'reporter' } } } } },
      { service: { type: 'NodePort' } },
      REFUSED.find((r) => r.name.startsWith('an added capability'))!,
    ]) {
      const answer = await review(operatorWebhook, specOf(c as PolicyCase));
      expect({ c, message: answer.status?.message }).toEqual({ c, message: undefined });
    }
  });

  test('what it does not name stays refused', async () => {
    for (const c of REFUSED.filter((r) => !/capability|NodePort/.test(r.name))) {
      const answer = await review(operatorWebhook, specOf(c));
      expect({ name: c.name, field: answer.status?.details?.causes?.[0]?.field }).toEqual({
        name: c.name,
        field: c.field,
      });
    }
  });

  test('a broken policy file stops the webhook at start, naming the file and the key', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ functions: { podSecurity: 'lenient' } }));
    await expect(
      startWebhookProcess([
        ...['--host', '127.0.0.1', '--port', '0', '--cert-mode', 'cert-manager', '--cert-dir', dir],
        ...['--no-cluster-checks', '--catalog-configmap', '', '--policy-file', file],
      ]),
    ).rejects.toThrow(/broken.json: functions.podSecurity must be restricted, baseline or privileged/);
  });
});
