import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeTarget, resolveNamespace } from '../../../cli/kube/config.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: local
clusters:
- name: local
  cluster: { server: "http://127.0.0.1:8080/" }
- name: remote
  cluster: { server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true }
users:
- name: anon
  user: {}
- name: bob
  user: { token: "s3cret" }
contexts:
- name: local
  context: { cluster: local, user: anon }
- name: team
  context: { cluster: remote, user: bob, namespace: team-a }
`;

describe('loadKubeTarget', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeless-cli-config-'));
    file = join(dir, 'config');
    writeFileSync(file, KUBECONFIG);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the current context, a plain http server and the default namespace', async () => {
    const target = await loadKubeTarget({ kubeconfig: file });
    expect(target).toMatchObject({
      server: 'http://127.0.0.1:8080',
      contextName: 'local',
      namespace: 'default',
    });
    const conn = await target.connection();
    expect(conn.headers.Authorization).toBeUndefined();
  });

  it("switches context, takes its namespace and sends the user's bearer token", async () => {
    const target = await loadKubeTarget({ kubeconfig: file, context: 'team' });
    expect(target.namespace).toBe('team-a');
    expect((await target.connection()).headers.Authorization).toBe('Bearer s3cret');
    expect((await loadKubeTarget({ kubeconfig: file, context: 'team', namespace: 'other' })).namespace).toBe(
      'other',
    );
  });

  it('lists the known contexts when asked for an unknown one', async () => {
    await expect(loadKubeTarget({ kubeconfig: file, context: 'nope' })).rejects.toThrow(
      'context "nope" is not in your kubeconfig; known contexts: local, team',
    );
  });

  it('names a missing kubeconfig file', async () => {
    await expect(loadKubeTarget({ kubeconfig: join(dir, 'missing') })).rejects.toThrow(
      /does not exist: pass an existing file/,
    );
  });

  it('resolves the namespace flag, then the context, then default', () => {
    expect(resolveNamespace('a', 'b')).toBe('a');
    expect(resolveNamespace(undefined, 'b')).toBe('b');
    expect(resolveNamespace(undefined, undefined)).toBe('default');
  });

  it('refuses a namespace no server accepts, naming the flag or the context to fix', () => {
    expect(() => resolveNamespace('../..', undefined)).toThrow(
      /"\.\.\/\.\." is not a valid namespace.*pass another -n/,
    );
    expect(() => resolveNamespace(undefined, 'Team_A')).toThrow(
      /fix the namespace of the kubeconfig context/,
    );
  });
});
