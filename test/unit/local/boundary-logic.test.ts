// The local platform's boundary as pure decisions: which Host and Origin it answers, which path
// values it refuses, when a data-dir lock is stale, and what a runtime process inherits.
import { describe, expect, it } from '@jest/globals';
import { namespaceMissing, objectCanExist, segmentRefusal } from '../../../local/api/path-params.js';
import { crossSiteProblem, hostOf, hostProblem, originAllowed } from '../../../local/api/request-origin.js';
import { processEnv } from '../../../local/controller/process-env.js';
import { describeOwner, lockState, type LockOwner } from '../../../local/lock.js';

describe('Host (DNS rebinding)', () => {
  it('answers the loopback names with or without a port', () => {
    for (const h of [
      'localhost',
      'localhost:8080',
      '127.0.0.1',
      '127.0.0.1:8080',
      '[::1]',
      '[::1]:8080',
      'LOCALHOST:1',
    ])
      expect(hostProblem(h, [])).toBeUndefined();
  });

  it('refuses any other name, saying how to allow it', () => {
    for (const h of [
      'evil.example',
      'evil.example:8080',
      '127.0.0.1.nip.io:8080',
      'localhost.',
      '127.0.0.2',
      '',
      'a:b:c',
    ])
      expect(hostProblem(h, [])).toMatch(/--host-name <name> \(or KUBELESS_HOST_NAME=<name>\)/);
  });

  it('answers a configured name', () => {
    expect(hostProblem('dev.box:8080', ['dev.box'])).toBeUndefined();
    expect(hostOf('[fe80::1]:80')).toBe('[fe80::1]');
  });
});

describe('Origin and Sec-Fetch-Site (cross-site calls)', () => {
  it("accepts programs (no Origin) and the API's own origin under a loopback name", () => {
    expect(crossSiteProblem({}, 8080, [])).toBeUndefined();
    expect(crossSiteProblem({ secFetchSite: 'none' }, 8080, [])).toBeUndefined();
    expect(
      crossSiteProblem({ secFetchSite: 'same-origin', origin: 'http://127.0.0.1:8080' }, 8080, []),
    ).toBeUndefined();
    expect(originAllowed('http://localhost:8080', 8080, [])).toBe(true);
    expect(originAllowed('http://[::1]:8080', 8080, [])).toBe(true);
  });

  it('refuses other origins, other local ports, null and cross-site browsers without Origin', () => {
    for (const origin of [
      'https://evil.example',
      'http://localhost:3000',
      'http://127.0.0.1',
      'null',
      'file://',
      'x',
    ])
      expect(crossSiteProblem({ origin }, 8080, [])).toMatch(/^cross-site request refused: Origin/);
    for (const site of ['cross-site', 'same-site'])
      expect(crossSiteProblem({ secFetchSite: site }, 8080, [])).toMatch(/Sec-Fetch-Site: /);
  });

  it('accepts a configured name on any port (it may sit behind a proxy)', () => {
    expect(originAllowed('https://dev.box', 8080, ['dev.box'])).toBe(true);
  });
});

describe('path values', () => {
  it('answers like kube-apiserver: several segments 404, . .. % 400, impossible namespace 404 on create', () => {
    expect(segmentRefusal('namespace', '../..')?.code).toBe(404);
    expect(segmentRefusal('namespace', '..')).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(segmentRefusal('name', 'a%b')?.message).toMatch(
      /^Name parameter invalid: "a%b": may not contain '%'/,
    );
    expect(segmentRefusal('name', 'Foo')).toBeUndefined();
    expect(namespaceMissing('Foo')).toMatchObject({
      code: 404,
      reason: 'NotFound',
      details: { kind: 'namespaces' },
    });
    expect(namespaceMissing('Foo')?.message).toMatch(/^namespaces "Foo" not found/);
    expect(namespaceMissing('default')).toBeUndefined();
    expect(objectCanExist('default', 'a.b')).toBe(true);
    expect(objectCanExist('default', 'Foo')).toBe(false);
  });
});

describe('data dir lock', () => {
  const owner: LockOwner = { pid: 42, start: 'boot:100', host: 'h', dataDir: '/d', since: 't', port: 8080 };
  it('is held while the same process runs, stale when it is gone or its pid was recycled', () => {
    expect(lockState(owner, 'h', () => 'boot:100')).toBe('held');
    expect(lockState(owner, 'h', () => undefined)).toBe('stale');
    expect(lockState(owner, 'h', () => 'boot:999')).toBe('stale');
    expect(lockState(undefined, 'h', () => 'boot:100')).toBe('stale');
    expect(lockState(owner, 'other', () => undefined)).toBe('foreign');
  });

  it('names the pid and the port in its refusal', () => {
    expect(describeOwner(owner, '/d/lock', 'held')).toMatch(
      /pid 42 \(its API on 127\.0\.0\.1:8080.*kill 42.*--data-dir/,
    );
  });
});

describe('runtime process environment', () => {
  const host = {
    PATH: '/bin',
    HOME: '/home/u',
    LANG: 'C.UTF-8',
    AWS_SECRET_ACCESS_KEY: 'secret',
    KUBECONFIG: '/home/u/.kube/config',
    HTTPS_PROXY: 'http://proxy',
    PIP_INDEX_URL: 'https://pypi.example',
  };
  it('passes a runtime only PATH, HOME, locale and its own variables', () => {
    expect(processEnv(host, 'runtime', { FUNC_PORT: '1', PATH: '/own' })).toEqual({
      PATH: '/own',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      FUNC_PORT: '1',
    });
  });

  it("passes an install step the registry's settings too, never credentials of other tools", () => {
    const env = processEnv(host, 'install', {});
    expect(env).toMatchObject({ HTTPS_PROXY: 'http://proxy', PIP_INDEX_URL: 'https://pypi.example' });
    expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(env.KUBECONFIG).toBeUndefined();
  });
});
