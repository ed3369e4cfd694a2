// Reading kubeconfig files without @kubernetes/client-node: kubectl's merge and path rules, the
// credentials each request carries, and the hand-over to client-node for plugins.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigFiles, loadKubeTarget } from '../../../cli/kube/config.js';
import { userHeaders } from '../../../cli/kube/credentials.js';
import { mergeKubeconfigs, needsClientNode, selectContext } from '../../../cli/kube/kubeconfig.js';

const first = `
current-context: a
clusters:
- name: c1
  cluster: { server: "https://one:6443", certificate-authority: certs/ca.pem }
users:
- name: u1
  user: { client-certificate: certs/me.pem, client-key: /abs/key.pem, tokenFile: token }
contexts:
- name: a
  context: { cluster: c1, user: u1, namespace: team }
- name: shared
  context: { cluster: c1, user: u1 }
`;
const second = `
current-context: b
clusters:
- name: c1
  cluster: { server: "https://ignored:6443" }
- name: c2
  cluster: { server: "https://two:6443", insecure-skip-tls-verify: true, tls-server-name: api.internal }
users:
- name: u2
  user:
    exec: { command: aws, apiVersion: client.authentication.k8s.io/v1beta1 }
- name: u3
  user: { username: ann, password: pw, as: bob, as-groups: [dev, ops], as-user-extra: { scopes: [read] } }
contexts:
- name: b
  context: { cluster: c2, user: u2 }
- name: shared
  context: { cluster: c2, user: u3 }
- name: basic
  context: { cluster: c2, user: u3 }
`;

describe('mergeKubeconfigs (the KUBECONFIG list)', () => {
  const merged = mergeKubeconfigs([
    { path: '/home/me/.kube/one', text: first },
    { path: '/etc/two', text: second },
  ]);

  it('takes the first current-context and the first definition of each name', () => {
    expect(merged.currentContext).toBe('a');
    expect(merged.clusters.get('c1')?.server).toBe('https://one:6443');
    expect(merged.contexts.get('shared')).toEqual({ cluster: 'c1', user: 'u1', namespace: undefined });
    expect(merged.clusters.get('c2')).toMatchObject({
      insecureSkipTlsVerify: true,
      tlsServerName: 'api.internal',
    });
  });

  it('resolves file paths against the file that names them', () => {
    expect(merged.clusters.get('c1')?.certificateAuthority).toBe('/home/me/.kube/certs/ca.pem');
    expect(merged.users.get('u1')).toMatchObject({
      clientCertificate: '/home/me/.kube/certs/me.pem',
      clientKey: '/abs/key.pem',
      tokenFile: '/home/me/.kube/token',
    });
  });

  it('hands exec and auth-provider users to client-node, and nothing else', () => {
    expect(needsClientNode(selectContext(merged, 'b'))).toBe(true);
    expect(needsClientNode(selectContext(merged, 'a'))).toBe(false);
  });

  it('explains an unknown context or a context without a cluster', () => {
    expect(() => selectContext(merged, 'nope')).toThrow(
      'context "nope" is not in your kubeconfig; known contexts: a, shared, b, basic',
    );
    const broken = mergeKubeconfigs([
      { path: '/x', text: 'contexts: [{name: z, context: {cluster: none}}]' },
    ]);
    expect(() => selectContext(broken, 'z')).toThrow(/names no known cluster/);
    expect(() => selectContext(broken, undefined)).toThrow(/has no current-context; pass --context/);
  });

  it('sends basic auth and impersonation headers, one line per group', () => {
    expect(userHeaders(selectContext(merged, 'basic').user)).toEqual({
      Authorization: `Basic ${Buffer.from('ann:pw').toString('base64')}`,
      'Impersonate-User': 'bob',
      'Impersonate-Group': ['dev', 'ops'],
      'Impersonate-Extra-scopes': ['read'],
    });
  });

  it('says which kubeconfig is malformed and where, in one line', () => {
    expect(() =>
      mergeKubeconfigs([{ path: '/k/bad', text: 'clusters:\n- name: a\n  cluster: {server: "x"\n' }]),
    ).toThrow(
      /^cannot read kubeconfig \/k\/bad: .* at line \d+, column \d+; fix the file or point --kubeconfig elsewhere$/,
    );
  });

  it('reads kubectl-written YAML: quoted and plain scalars, flow and block style, an anchor', () => {
    const k = mergeKubeconfigs([
      {
        path: '/k/style',
        text: [
          'apiVersion: v1',
          'kind: Config',
          "current-context: 'x'",
          'clusters:',
          '- &c {name: x, cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}}',
          'users: [{name: x, user: {token: abc}}]',
          'contexts:',
          '- name: x',
          '  context:',
          '    cluster: x',
          '    user: x',
          '    namespace: team',
          '',
        ].join('\n'),
      },
    ]);
    const chosen = selectContext(k, undefined);
    expect(chosen.cluster).toMatchObject({ server: 'https://10.0.0.1:6443', insecureSkipTlsVerify: true });
    expect(chosen.namespace).toBe('team');
    expect(userHeaders(chosen.user).Authorization).toBe('Bearer abc');
  });

  it('reads a tokenFile on each request (it may be rotated)', () => {
    let token = 'one';
    const user = selectContext(merged, 'a').user;
    expect(userHeaders(user, () => `${token}\n`).Authorization).toBe('Bearer one');
    token = 'two';
    expect(userHeaders(user, () => token).Authorization).toBe('Bearer two');
  });
});

describe('which kubeconfig is in effect', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeless-kubeconfig-'));
    mkdirSync(join(dir, 'home/.kube'), { recursive: true });
    writeFileSync(join(dir, 'home/.kube/config'), first);
    writeFileSync(join(dir, 'two'), second);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is --kubeconfig, else the existing files of KUBECONFIG, else ~/.kube/config, else none', () => {
    const HOME = join(dir, 'home');
    expect(kubeconfigFiles({ kubeconfig: join(dir, 'two') }, { HOME })).toEqual([join(dir, 'two')]);
    expect(kubeconfigFiles({}, { HOME, KUBECONFIG: `${join(dir, 'missing')}:${join(dir, 'two')}` })).toEqual([
      join(dir, 'two'),
    ]);
    expect(kubeconfigFiles({}, { HOME })).toEqual([join(HOME, '.kube/config')]);
    expect(kubeconfigFiles({}, { HOME: join(dir, 'nohome') })).toEqual([]);
    expect(() => kubeconfigFiles({}, { HOME, KUBECONFIG: join(dir, 'missing') })).toThrow(
      /KUBECONFIG names no existing file/,
    );
  });

  it('falls back to the local platform when there is no kubeconfig and no service account', async () => {
    const target = await loadKubeTarget({ namespace: 'x' }, { HOME: join(dir, 'nohome') });
    expect(target).toMatchObject({ server: 'http://127.0.0.1:8080', contextName: 'local', namespace: 'x' });
  });
});
