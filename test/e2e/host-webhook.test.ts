// How kube-apiserver reaches a server that a test runs on the host (ADR 0004, "Network"): a
// validating webhook served on readClusterInfo().hostAddress, named by a Service without selector
// whose EndpointSlice points at that address (--enable-aggregator-routing resolves endpoints).
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { createCa, createServingCert } from '../../lib/certs/issue.js';
import { readClusterInfo } from './helpers/cluster.js';
import { kubectl, kubectlOk } from './helpers/kubectl.js';
import { waitFor } from './helpers/wait.js';

jest.setTimeout(120_000);

const ns = `e2e-hostwh-${process.pid}`;
const webhookName = `${ns}.kubeless.io`;
const denial = 'denied by the e2e webhook served on the host';
let server: Server;

interface AdmissionReview {
  request?: { uid: string };
}

function startWebhook(host: string, cert: { cert: string; key: string }): Promise<Server> {
  const s = createServer({ cert: cert.cert, key: cert.key, requestTimeout: 10_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // An AdmissionReview for a small ConfigMap is a few KiB; refuse anything absurd.
      if (size > 1024 * 1024) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdmissionReview;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          response: { uid: review.request?.uid, allowed: false, status: { code: 403, message: denial } },
        }),
      );
    });
  });
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, host, () => resolve(s));
  });
}

beforeAll(async () => {
  const info = readClusterInfo();
  const now = new Date();
  const ca = createCa({ commonName: 'e2e-host-webhook-ca', notBefore: now, lifetimeMs: 3_600_000 });
  const serving = createServingCert({
    ca,
    commonName: `webhook.${ns}.svc`,
    hosts: [`webhook.${ns}.svc`],
    notBefore: now,
    lifetimeMs: 3_600_000,
  });
  server = await startWebhook(info.hostAddress, serving);
  const port = (server.address() as AddressInfo).port;

  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'e2e-host-webhook': ns } } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'webhook', namespace: ns },
      spec: { ports: [{ name: 'https', port: 443, targetPort: port }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'webhook-host', namespace: ns, labels: { 'kubernetes.io/service-name': 'webhook' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [info.hostAddress], conditions: { ready: true } }],
      ports: [{ name: 'https', port, protocol: 'TCP' }],
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: webhookName },
      webhooks: [
        {
          name: webhookName,
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          timeoutSeconds: 10,
          clientConfig: {
            service: { namespace: ns, name: 'webhook', port: 443, path: '/validate' },
            caBundle: Buffer.from(ca.cert).toString('base64'),
          },
          // Only this suite's namespace, so a run of it never blocks anyone else's objects.
          namespaceSelector: { matchLabels: { 'e2e-host-webhook': ns } },
          rules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
          ],
        },
      ],
    },
  ];
  await kubectlOk(['apply', '-f', '-'], { input: objects.map((o) => stringify(o)).join('---\n') });
});

afterAll(async () => {
  await kubectl(['delete', 'validatingwebhookconfiguration', webhookName, '--ignore-not-found']);
  await kubectl(['delete', 'namespace', ns, '--wait=false']);
  await new Promise((resolve) => server?.close(resolve));
});

test('kube-apiserver calls a webhook served on the host address through its Service', async () => {
  // The webhook configuration takes effect in the apiserver's informers a moment after creation.
  const stderr = await waitFor('the host webhook to deny a ConfigMap', async () => {
    const r = await kubectl(['create', 'configmap', `probe-${Date.now()}`, '-n', ns, '--from-literal=a=1']);
    return r.code !== 0 && r.stderr.includes(webhookName) ? r.stderr : undefined;
  });
  expect(stderr).toContain(denial);
});
