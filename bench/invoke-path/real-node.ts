// The invoke-path bench on the real-node cluster (test/cluster/real-node.sh up): the chart's own
// `kubeless api` pod and a Function's real pod, so every hop is the one a user's call takes. The
// host routes the Service CIDR into the node's network namespace (test/cluster/up.sh), so the
// bench reaches the function's and the `kubeless api` Services' ClusterIPs as a pod would, and
// calls `kubeless api` itself the way kube-apiserver does: with the front proxy's client
// certificate and X-Remote-* headers.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { join } from 'node:path';
import {
  adminTls,
  installKubelessChart,
  nodeKubectl,
  nodeKubectlOk,
  realNodeInfo,
  realNodeStateDir,
} from '../../test/e2e/helpers/real-node.js';
import { waitFor } from '../../test/e2e/helpers/wait.js';
import type { Target } from './load.js';
import { apiDirectTarget, pathTargets, type BenchSetup } from './targets.js';

const ns = `bench-invoke-${process.pid}`;
const CODE = 'module.exports = { echo: (event) => ({ ok: true, size: event.data ? 1 : 0 }) };\n';

/** `<ClusterIP>:<first port>` of a Service. */
async function serviceAddress(namespace: string, service: string): Promise<string> {
  const address = (
    await nodeKubectlOk([
      'get',
      'service',
      service,
      '-n',
      namespace,
      '-o',
      'jsonpath={.spec.clusterIP}:{.spec.ports[0].port}',
    ])
  ).trim();
  if (!/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) {
    throw new Error(
      `Service ${namespace}/${service} has no ClusterIP and port (got ${JSON.stringify(address)})`,
    );
  }
  return address;
}

/**
 * The CA of the APIService's caBundle that signed the certificate `kubeless api` serves now. The
 * bundle can hold an old and a new CA under one name during a rotation; OpenSSL, given both, may
 * try the wrong one ("certificate signature failure") where kube-apiserver tries each.
 */
async function servingCa(host: string, port: number, bundle: string): Promise<string> {
  const peer = await new Promise<X509Certificate>((resolve, reject) => {
    // Only to read the certificate: nothing is sent on this connection.
    const socket = connect(
      { host, port, servername: 'kubeless-api.kubeless.svc', rejectUnauthorized: false },
      () => {
        const cert = socket.getPeerX509Certificate();
        socket.destroy();
        if (cert) resolve(cert);
        else reject(new Error(`kubeless api at ${host}:${port} sent no certificate`));
      },
    );
    socket.on('error', reject);
  });
  const pems = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const ca = pems.find((pem) => {
    const c = new X509Certificate(pem);
    return peer.checkIssued(c) && peer.verify(c.publicKey);
  });
  if (!ca)
    throw new Error(`no CA of the APIService's caBundle (${pems.length}) signed kubeless api's certificate`);
  return ca;
}

const tearDown = async (): Promise<void> => {
  await nodeKubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
};

export async function realNodeSetup(): Promise<BenchSetup> {
  if (!existsSync(join(realNodeStateDir, 'cluster.json'))) {
    throw new Error(
      `no real-node cluster is recorded in ${realNodeStateDir}: start one first, e.g. ` +
        'KUBELESS_NODE_E2E_DIR=/work/.e2e-real-node flock -o /work/.real-node.lock sh -c ' +
        "'bash test/cluster/real-node.sh up && npm run bench:invoke -- --real-node; bash test/cluster/real-node.sh down'",
    );
  }
  const info = realNodeInfo();
  await installKubelessChart();
  await nodeKubectlOk(['create', 'namespace', ns]);
  try {
    const fn = {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'Function',
      metadata: { name: 'echo', namespace: ns },
      spec: { runtime: 'nodejs20', handler: 'echo.echo', function: CODE, deps: '', timeout: '30' },
    };
    await nodeKubectlOk(['apply', '-f', '-'], JSON.stringify(fn));
    await waitFor(
      'Function echo Ready',
      async () =>
        (
          await nodeKubectl([
            'get',
            'function',
            'echo',
            '-n',
            ns,
            '-o',
            'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
          ])
        ).stdout === 'True',
      { timeoutMs: 300_000, intervalMs: 2000 },
    );
    const fnAddress = await serviceAddress(ns, 'echo');
    const apiAddress = await serviceAddress('kubeless', 'kubeless-api');
    const [apiHost = '', apiPort = ''] = apiAddress.split(':');
    const caBundle = (
      await nodeKubectlOk([
        'get',
        'apiservice',
        'v1.subresources.kubeless.io',
        '-o',
        'jsonpath={.spec.caBundle}',
      ])
    ).trim();
    const admin = adminTls();
    const pki = join(realNodeStateDir, 'pki');
    const targets: Target[] = [
      ...pathTargets(info.server, ns, 'echo', admin, `http://${fnAddress}/`),
      apiDirectTarget(`https://${apiAddress}`, ns, 'echo', {
        ca: await servingCa(apiHost, Number(apiPort), Buffer.from(caBundle, 'base64').toString('utf8')),
        cert: readFileSync(join(pki, 'front-proxy-client.crt')),
        key: readFileSync(join(pki, 'front-proxy-client.key')),
        servername: 'kubeless-api.kubeless.svc',
      }),
    ];
    return {
      where: `the real-node cluster (${info.server}): the chart's kubeless api pod, the function's pod`,
      targets,
      tearDown,
    };
  } catch (err) {
    await tearDown();
    throw err;
  }
}
