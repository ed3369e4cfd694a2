import { describe, expect, it } from '@jest/globals';
import { applyFlags, newFunction } from '../../../cli/function/build.js';
import { splitList } from '../../../cli/function/key-values.js';
import { applyPodFlags } from '../../../cli/function/pod-flags.js';
import { applyServiceFlags } from '../../../cli/function/service-flags.js';

const source = { content: 'x', contentType: 'text', checksum: 'sha256:abc' };
const base = { name: 'hello', namespace: 'd', runtime: 'python3.11', handler: 'h.foo', source };

describe('splitList (the original string-slice flags)', () => {
  it('splits on commas, keeps quoted commas and drops empty items', () => {
    expect(splitList('a=1,b:2,,c', '--env')).toEqual(['a=1', 'b:2', 'c']);
    expect(splitList('"a=1,2",b="x"', '--env')).toEqual(['a=1,2', 'b="x"']);
    expect(splitList('"say ""hi""",z', '--env')).toEqual(['say "hi"', 'z']);
    expect(() => splitList('"open', '--env')).toThrow(/--env "\\"open": a quote is not closed/);
  });
});

describe('pod flags', () => {
  it('puts image, pull policy, secrets, node selectors and service account where the original did', () => {
    const fn = newFunction({
      ...base,
      runtimeImage: 'registry.example.com/rt:1',
      imagePullPolicy: 'IfNotPresent',
      secrets: ['db-creds,api-key'],
      nodeSelectors: ['disktype=ssd,zone:a'],
      serviceAccount: 'fn-runner',
    });
    expect(fn.spec.deployment).toEqual({
      spec: {
        template: {
          spec: {
            volumes: [
              { name: 'db-creds-vol', secret: { secretName: 'db-creds' } },
              { name: 'api-key-vol', secret: { secretName: 'api-key' } },
            ],
            nodeSelector: { disktype: 'ssd', zone: 'a' },
            serviceAccountName: 'fn-runner',
            containers: [
              {
                image: 'registry.example.com/rt:1',
                imagePullPolicy: 'IfNotPresent',
                volumeMounts: [
                  { name: 'db-creds-vol', mountPath: '/db-creds' },
                  { name: 'api-key-vol', mountPath: '/api-key' },
                ],
              },
            ],
          },
        },
      },
    });
  });

  it('mounts a secret once, unmounts with name-, and keeps volumes it did not make', () => {
    const first = applyPodFlags(undefined, { secrets: ['a'] });
    const withOther = structuredClone(first)!;
    withOther.spec!.template!.spec!.volumes!.push({ name: 'cache', emptyDir: {} });
    const again = applyPodFlags(withOther, { secrets: ['a,b'] });
    expect(again?.spec?.template?.spec?.volumes?.map((v) => v.name)).toEqual(['a-vol', 'cache', 'b-vol']);
    const removed = applyPodFlags(again, { secrets: ['a-'] });
    expect(removed?.spec?.template?.spec?.volumes?.map((v) => v.name)).toEqual(['cache', 'b-vol']);
    expect(removed?.spec?.template?.spec?.containers?.[0]?.volumeMounts).toEqual([
      { name: 'b-vol', mountPath: '/b' },
    ]);
  });

  it('refuses what a cluster would refuse, naming the flag', () => {
    expect(() => applyPodFlags(undefined, { nodeSelectors: ['disk type=ssd'] })).toThrow(
      /--node-selectors key "disk type"/,
    );
    expect(() => applyPodFlags(undefined, { secrets: ['My_Secret'] })).toThrow(/--secrets "My_Secret"/);
    expect(() => applyPodFlags(undefined, { serviceAccount: 'Admin' })).toThrow(/--service-account "Admin"/);
    expect(() => applyPodFlags(undefined, { imagePullPolicy: 'Sometimes' })).toThrow(
      /use one of Always, IfNotPresent, Never/,
    );
    expect(() => applyPodFlags(undefined, { runtimeImage: 'a b' })).toThrow(/--runtime-image "a b"/);
  });

  it('leaves the template out when no pod flag is given', () => {
    expect(applyPodFlags(undefined, {})).toBeUndefined();
  });
});

describe('service flags', () => {
  it('--port sets the port and target port, --servicePort only the Service port', () => {
    expect(applyServiceFlags(undefined, { port: '8081' })).toEqual({
      ports: [{ name: 'http-function-port', protocol: 'TCP', port: 8081, targetPort: 8081 }],
    });
    expect(applyServiceFlags(undefined, { port: '9090', servicePort: '80', headless: true })).toEqual({
      ports: [{ name: 'http-function-port', protocol: 'TCP', port: 80, targetPort: 9090 }],
      clusterIP: 'None',
    });
    const current = {
      ports: [
        { name: 'metrics', port: 9102 },
        { name: 'http-function-port', port: 8080, targetPort: 8080 },
      ],
    };
    expect(applyServiceFlags(current, { servicePort: '81' })?.ports).toEqual([
      { name: 'metrics', port: 9102 },
      { name: 'http-function-port', port: 81, targetPort: 8080 },
    ]);
  });

  it('refuses ports out of range and leaves spec.service out when unused', () => {
    expect(() => applyServiceFlags(undefined, { port: '0' })).toThrow(/--port "0": give a port number/);
    expect(() => applyServiceFlags(undefined, { servicePort: '70000' })).toThrow(/--servicePort "70000"/);
    expect(applyServiceFlags(undefined, {})).toBeUndefined();
    expect(newFunction(base).spec.service).toBeUndefined();
  });

  it('update keeps the labels the function was deployed with and adds the new ones', () => {
    const fn = newFunction({ ...base, labels: ['team=a'] });
    const next = applyFlags(fn, { name: 'hello', namespace: 'd', labels: ['tier:web'], port: '8083' });
    expect(next.metadata.labels).toEqual({
      'created-by': 'kubeless',
      function: 'hello',
      team: 'a',
      tier: 'web',
    });
    expect(next.spec.service?.ports?.[0]).toMatchObject({ port: 8083, targetPort: 8083 });
  });
});
