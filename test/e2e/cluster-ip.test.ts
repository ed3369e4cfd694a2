// A Service's ClusterIP can be made a real address in the control plane's network (ADR 0004),
// so tests can run a server behind a Service before the cluster has kube-proxy.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { addClusterIPAddress, inClusterNetwork, readClusterInfo } from './helpers/cluster.js';
import { kubectl, kubectlJson, kubectlOk } from './helpers/kubectl.js';
import { waitFor } from './helpers/wait.js';

jest.setTimeout(60_000);

const ns = `e2e-clusterip-${process.pid}`;
const netnsMode = readClusterInfo().mode === 'netns';
let server: ChildProcess | undefined;

beforeAll(async () => {
  await kubectlOk(['create', 'namespace', ns]);
});

afterAll(async () => {
  server?.kill();
  await kubectl(['delete', 'namespace', ns, '--wait=false']);
});

(netnsMode ? test : test.skip)('a server on a Service ClusterIP answers from the host', async () => {
  await kubectlOk(['create', 'service', 'clusterip', 'echo', '-n', ns, '--tcp=8080:8080']);
  const svc = await kubectlJson<{ spec: { clusterIP: string } }>(['get', 'service', 'echo', '-n', ns]);
  const ip = svc.spec.clusterIP;
  addClusterIPAddress(ip);
  const script = `require('http').createServer((q, s) => s.end('echo on ${ip}')).listen(8080, '${ip}')`;
  const [cmd, ...args] = inClusterNetwork([process.execPath, '-e', script]);
  server = spawn(cmd, args, { stdio: 'ignore' });
  const body = await waitFor(`http://${ip}:8080 to answer`, async () => {
    const res = await fetch(`http://${ip}:8080/`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? res.text() : undefined;
  });
  expect(body).toBe(`echo on ${ip}`);
});
