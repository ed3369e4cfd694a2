import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CONFIG } from '../../../../controller/config.js';
import { PAYLOAD_ENV, desiredCronJob, encodePayload } from '../../../../controller/triggers/cronjob.js';
import { desiredIngress, normalisePath } from '../../../../controller/triggers/ingress.js';
import type { CronJobTrigger, HTTPTrigger, KubelessFunction } from '../../../../lib/types.js';

function httpTrigger(spec: Partial<HTTPTrigger['spec']>): HTTPTrigger {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'HTTPTrigger',
    metadata: { name: 'web', namespace: 'team', uid: 'u-1', labels: { app: 'shop' } },
    spec: { 'function-name': 'hello', ...spec },
  };
}

function cronTrigger(spec: Partial<CronJobTrigger['spec']>): CronJobTrigger {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'CronJobTrigger',
    metadata: { name: 'nightly', namespace: 'team', uid: 'u-2' },
    spec: { 'function-name': 'hello', schedule: '*/5 * * * *', ...spec },
  };
}

const fn = (timeout?: string): KubelessFunction =>
  ({
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: { name: 'hello', namespace: 'team', uid: 'f-1' },
    spec: { runtime: 'nodejs20', handler: 'h.f', function: 'x', ...(timeout ? { timeout } : {}) },
  }) as KubelessFunction;

describe('desiredIngress', () => {
  it('routes host and prefix path to the function Service on 8080, owned by the trigger', () => {
    const ing = desiredIngress(httpTrigger({ 'host-name': 'hello.example.com', path: 'hi' }));
    expect(ing.spec?.ingressClassName).toBe('nginx');
    expect(ing.spec?.rules).toEqual([
      {
        host: 'hello.example.com',
        http: {
          paths: [
            {
              path: '/hi',
              pathType: 'Prefix',
              backend: { service: { name: 'hello', port: { number: 8080 } } },
            },
          ],
        },
      },
    ]);
    expect(ing.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'HTTPTrigger',
      name: 'web',
      uid: 'u-1',
      controller: true,
    });
    expect(ing.metadata?.labels).toMatchObject({
      app: 'shop',
      'kubeless.io/trigger': 'web',
      function: 'hello',
    });
    expect(ing.metadata?.annotations).toBeUndefined();
    expect(ing.spec?.tls).toBeUndefined();
  });

  it('matches any host with path / when neither is given', () => {
    const rule = desiredIngress(httpTrigger({})).spec?.rules?.[0];
    expect(rule?.host).toBeUndefined();
    expect(rule?.http?.paths[0]?.path).toBe('/');
    expect(normalisePath('/a/b')).toBe('/a/b');
  });

  it('serves TLS from tls-secret for the host', () => {
    const ing = desiredIngress(httpTrigger({ 'host-name': 'h.example.com', 'tls-secret': 'h-cert' }));
    expect(ing.spec?.tls).toEqual([{ hosts: ['h.example.com'], secretName: 'h-cert' }]);
    expect(ing.metadata?.annotations?.['kubernetes.io/tls-acme']).toBeUndefined();
  });

  it('asks ACME for a certificate when tls is true without a secret', () => {
    const ing = desiredIngress(httpTrigger({ 'host-name': 'h.example.com', tls: true }));
    expect(ing.spec?.tls).toEqual([{ hosts: ['h.example.com'], secretName: 'web-tls' }]);
    expect(ing.metadata?.annotations?.['kubernetes.io/tls-acme']).toBe('true');
  });

  it('writes nginx basic-auth and CORS annotations', () => {
    const ing = desiredIngress(httpTrigger({ 'basic-auth-secret': 'users', 'cors-enable': true }));
    expect(ing.metadata?.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': 'users',
      'nginx.ingress.kubernetes.io/enable-cors': 'true',
    });
  });

  it('writes traefik annotations and class for gateway traefik', () => {
    const ing = desiredIngress(
      httpTrigger({ gateway: 'traefik', 'basic-auth-secret': 'users', 'cors-enable': true }),
    );
    expect(ing.spec?.ingressClassName).toBe('traefik');
    expect(ing.metadata?.annotations).toEqual({
      'ingress.kubernetes.io/auth-type': 'basic',
      'ingress.kubernetes.io/auth-secret': 'users',
      'ingress.kubernetes.io/cors-allow-origin': '*',
    });
  });

  it('refuses basic auth on kong with a remedy', () => {
    expect(() => desiredIngress(httpTrigger({ gateway: 'kong', 'basic-auth-secret': 'users' }))).toThrow(
      /nginx or traefik/,
    );
  });

  it('needs the trigger uid for the owner reference', () => {
    const t = httpTrigger({});
    delete t.metadata.uid;
    expect(() => desiredIngress(t)).toThrow(/no uid/);
  });
});

describe('desiredCronJob', () => {
  it('runs kubeless invoke against the function URL with the payload in an env var, never a shell', () => {
    const cj = desiredCronJob(
      cronTrigger({ payload: { a: 1 }, timeZone: 'Europe/Berlin' }),
      fn('30'),
      DEFAULT_CONFIG,
    );
    expect(cj.spec?.schedule).toBe('*/5 * * * *');
    expect(cj.spec?.timeZone).toBe('Europe/Berlin');
    expect(cj.spec?.concurrencyPolicy).toBe('Forbid');
    expect(cj.spec?.jobTemplate.spec?.activeDeadlineSeconds).toBe(30);
    const c = cj.spec?.jobTemplate.spec?.template.spec?.containers[0];
    expect(c?.command).toEqual(['kubeless']);
    expect(c?.args?.slice(0, 5)).toEqual([
      'invoke',
      '--url',
      'http://hello.team.svc:8080',
      '--data-from-env',
      PAYLOAD_ENV,
    ]);
    // The same event headers as the original Kubeless and the local platform send.
    const arg = (flag: string): string | undefined => c?.args?.[c.args.indexOf(flag) + 1];
    expect(arg('--content-type')).toBe('application/json');
    expect(arg('--event-type')).toBe('application/json');
    expect(arg('--event-namespace')).toBe('cronjobtrigger.kubeless.io');
    expect(c?.env).toEqual([{ name: PAYLOAD_ENV, value: '{"a":1}' }]);
    expect(cj.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'CronJobTrigger',
      name: 'nightly',
      uid: 'u-2',
    });
    expect(cj.spec?.jobTemplate.spec?.template.spec?.restartPolicy).toBe('Never');
  });

  it('calls the Service port the Function declares in spec.service', () => {
    const moved = {
      ...fn(),
      spec: { ...fn().spec, service: { ports: [{ name: 'http-function-port', port: 9090 }] } },
    };
    const c = desiredCronJob(cronTrigger({}), moved, DEFAULT_CONFIG).spec?.jobTemplate.spec?.template.spec
      ?.containers[0];
    expect(c?.args?.[2]).toBe('http://hello.team.svc:9090');
  });

  it('labels the job pods so the Function’s Service selector never picks them', () => {
    const cj = desiredCronJob(cronTrigger({}), fn(), DEFAULT_CONFIG);
    const podLabels = cj.spec?.jobTemplate.spec?.template.metadata?.labels ?? {};
    expect(podLabels).toEqual({ 'kubeless.io/trigger': 'nightly' });
    // The Function's Service selects function=<name>, created-by=kubeless (controller/desired/service.ts).
    expect(podLabels.function).toBeUndefined();
    expect(cj.metadata?.labels).toMatchObject({ function: 'hello', 'created-by': 'kubeless' });
  });

  it('keeps a shell-looking payload as plain data', () => {
    const cj = desiredCronJob(cronTrigger({ payload: '$(rm -rf /); echo hi' }), fn(), DEFAULT_CONFIG);
    const c = cj.spec?.jobTemplate.spec?.template.spec?.containers[0];
    expect(c?.env?.[0]?.value).toBe('$(rm -rf /); echo hi');
    expect(c?.args?.join(' ')).not.toContain('rm -rf');
  });

  it('uses the default 180 s deadline when the function is missing or has no timeout', () => {
    expect(
      desiredCronJob(cronTrigger({}), undefined, DEFAULT_CONFIG).spec?.jobTemplate.spec
        ?.activeDeadlineSeconds,
    ).toBe(180);
    expect(desiredCronJob(cronTrigger({}), fn(), DEFAULT_CONFIG).spec?.timeZone).toBeUndefined();
  });

  it('encodes payloads: text as is, JSON otherwise, empty when unset', () => {
    expect(encodePayload('hi')).toEqual({ data: 'hi', contentType: 'text/plain' });
    expect(encodePayload([1, 2])).toEqual({ data: '[1,2]', contentType: 'application/json' });
    expect(encodePayload(undefined).data).toBe('');
  });
});
