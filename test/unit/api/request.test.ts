import { describe, expect, it } from '@jest/globals';
import { isStatus } from '../../../lib/k8s/status.js';
import { parseSubresourcePath, resourceAttributes, verbForMethod } from '../../../api/request.js';
import { identityFromHeaders } from '../../../api/headers.js';
import { functionRequestHeaders } from '../../../lib/invoke/headers.js';
import { functionNotFound, proxyFailureStatus } from '../../../lib/invoke/failures.js';
import { invokeDeadlineMs, timeoutSecondsOf } from '../../../lib/function/timeout.js';
import { CachedAuthorizer, cacheKey, type AccessReviewSpec } from '../../../api/authz.js';
import { checkPeer } from '../../../api/authn.js';

const P = '/apis/subresources.kubeless.io/v1/namespaces/default/functions/hello';

describe('subresource paths and RBAC attributes', () => {
  it('parses invoke with a sub-path and log/logs without one', () => {
    expect(parseSubresourcePath(`${P}/invoke/a/b`)).toEqual({
      namespace: 'default',
      name: 'hello',
      subresource: 'invoke',
      path: '/a/b',
    });
    expect(parseSubresourcePath(`${P}/invoke`)).toMatchObject({ path: '/' });
    expect(parseSubresourcePath(`${P}/logs`)).toMatchObject({ subresource: 'logs' });
    const extra = parseSubresourcePath(`${P}/log/x`);
    expect(isStatus(extra) && extra.code).toBe(404);
  });
  it('refuses names that cannot exist and unknown subresources', () => {
    const bad = parseSubresourcePath(
      '/apis/subresources.kubeless.io/v1/namespaces/Bad_NS/functions/hello/invoke',
    );
    expect(isStatus(bad) && bad.code).toBe(400);
    const unknown = parseSubresourcePath(`${P}/exec`);
    expect(isStatus(unknown) && unknown.code).toBe(404);
    expect(parseSubresourcePath('/api/v1/pods')).toBeUndefined();
  });
  it('maps methods to verbs as kube-apiserver does', () => {
    expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map(verbForMethod)).toEqual([
      'get',
      'create',
      'update',
      'patch',
      'delete',
    ]);
    const sr = parseSubresourcePath(`${P}/invoke`);
    if (!sr || isStatus(sr)) throw new Error('parse failed');
    expect(resourceAttributes(sr, 'POST')).toEqual({
      group: 'subresources.kubeless.io',
      version: 'v1',
      resource: 'functions',
      subresource: 'invoke',
      verb: 'create',
      namespace: 'default',
      name: 'hello',
    });
  });
});

describe('headers sent to the function', () => {
  const now = new Date('2026-01-02T03:04:05Z');
  it('drops credentials, front-proxy identity and hop-by-hop headers; keeps the rest', () => {
    const h = functionRequestHeaders(
      {
        authorization: 'Bearer secret',
        'x-remote-user': 'alice',
        'x-remote-group': 'g',
        'x-remote-extra-scopes': 's',
        connection: 'keep-alive, x-drop',
        'x-drop': '1',
        host: 'api',
        'content-type': 'application/json',
        'x-custom': 'yes',
      },
      { now, newId: () => 'id-1' },
    );
    expect(h).toEqual({
      'content-type': 'application/json',
      'x-custom': 'yes',
      'event-id': 'id-1',
      'event-time': '2026-01-02T03:04:05.000Z',
      'event-type': 'application/json',
      'event-namespace': 'subresources.kubeless.io',
    });
  });
  it('keeps event headers the caller set', () => {
    const h = functionRequestHeaders({ 'event-id': 'mine', 'event-type': 'text/plain' }, { now });
    expect(h['event-id']).toBe('mine');
    expect(h['event-type']).toBe('text/plain');
  });
  it('reads user, groups and extras from the configured headers', () => {
    const cfg = {
      usernameHeaders: ['X-Remote-User'],
      groupHeaders: ['X-Remote-Group'],
      extraHeaderPrefixes: ['X-Remote-Extra-'],
    };
    expect(
      identityFromHeaders(
        {
          'x-remote-user': ['alice'],
          'x-remote-group': ['system:masters', 'a,b'],
          'x-remote-extra-scopes': ['x', 'y'],
        },
        cfg,
      ),
    ).toEqual({ user: 'alice', groups: ['system:masters', 'a,b'], extra: { scopes: ['x', 'y'] } });
    expect(identityFromHeaders({}, cfg)).toBeUndefined();
  });
});

describe('Status mapping', () => {
  it('maps proxy failures to the codes clients act on', () => {
    const f = { namespace: 'ns', name: 'fn', timeoutSeconds: 8, limitBytes: 10 };
    expect(proxyFailureStatus({ ...f, code: 'TIMEOUT' }).code).toBe(504);
    expect(proxyFailureStatus({ ...f, code: 'TOO_LARGE' }).code).toBe(413);
    expect(proxyFailureStatus({ ...f, code: 'ECONNREFUSED' }).code).toBe(503);
    expect(proxyFailureStatus({ ...f, code: 'NO_ENDPOINTS' }).reason).toBe('ServiceUnavailable');
    expect(proxyFailureStatus({ ...f, code: 'EPIPE' }).code).toBe(502);
    expect(functionNotFound('ns', 'fn')).toMatchObject({ code: 404, reason: 'NotFound' });
  });
  it('adds a margin to the Function timeout, defaulting like the runtime', () => {
    expect(invokeDeadlineMs(timeoutSecondsOf('3'))).toBe(8000);
    expect(invokeDeadlineMs(timeoutSecondsOf(undefined))).toBe(185_000);
    expect(invokeDeadlineMs(timeoutSecondsOf('nonsense'), 1)).toBe(181_000);
  });
});

describe('authorizer cache and authentication decisions', () => {
  const spec = (user: string, groups: string[]): AccessReviewSpec => ({
    user,
    groups,
    extra: {},
    resourceAttributes: {
      group: 'g',
      version: 'v1',
      resource: 'functions',
      subresource: 'invoke',
      verb: 'create',
      namespace: 'n',
      name: 'f',
    },
  });
  it('keys on the sorted identity and attributes, expires entries and stays bounded', async () => {
    expect(cacheKey(spec('a', ['x', 'y']))).toBe(cacheKey(spec('a', ['y', 'x'])));
    expect(cacheKey(spec('a', ['x']))).not.toBe(cacheKey(spec('b', ['x'])));
    let t = 0;
    let calls = 0;
    const authz = new CachedAuthorizer(
      async (s) => {
        calls += 1;
        return { allowed: s.user !== 'eve', reason: 'rbac' };
      },
      { allowedTtlMs: 100, deniedTtlMs: 10, maxEntries: 2, now: () => t },
    );
    await authz.authorize(spec('a', []));
    await authz.authorize(spec('a', []));
    expect(calls).toBe(1);
    t = 101;
    await authz.authorize(spec('a', []));
    expect(calls).toBe(2);
    await authz.authorize(spec('b', []));
    expect((await authz.authorize(spec('eve', []))).allowed).toBe(false);
    expect(authz.size).toBe(2);
  });
  it('401s without a verified certificate or with a name that is not allowed', () => {
    const cfg = {
      clientCA: '',
      allowedNames: ['front-proxy-client'],
      usernameHeaders: ['x-remote-user'],
      groupHeaders: [],
      extraHeaderPrefixes: [],
    };
    expect(checkPeer(false, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', undefined, {}, cfg).ok).toBe(false);
    expect(checkPeer(true, undefined, 'someone', { 'x-remote-user': ['a'] }, cfg).ok).toBe(false);
    expect(checkPeer(true, undefined, 'front-proxy-client', { 'x-remote-user': ['a'] }, cfg)).toMatchObject({
      ok: true,
      identity: { user: 'a' },
    });
  });
});
