import { describe, expect, test } from '@jest/globals';
import { checkPodSecurity, type PodSecurityOptions } from '../../../lib/policy/pod-security.js';

const restricted: PodSecurityOptions = {
  level: 'restricted',
  allowedVolumeTypes: [],
  allowedCapabilities: [],
};
const baseline: PodSecurityOptions = { ...restricted, level: 'baseline' };

const hardened = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
const good = { containers: [{ name: 'c', securityContext: hardened }] };
const fields = (pod: object, opts = restricted, annotations: object = {}) =>
  checkPodSecurity(pod, annotations, opts).map((v) =>
    v.at.on === 'pod' ? v.field : `${v.at.on}:${v.field}`,
  );

describe('checkPodSecurity', () => {
  test('a hardened pod passes restricted; a bare one fails every restricted control', () => {
    expect(fields(good)).toEqual([]);
    expect(fields({ containers: [{ name: 'c' }] })).toEqual([
      'container:securityContext.allowPrivilegeEscalation',
      'container:securityContext.runAsNonRoot',
      'container:securityContext.seccompProfile.type',
      'container:securityContext.capabilities.drop',
    ]);
  });

  test('pod-level runAsNonRoot and seccomp cover every container', () => {
    const pod = {
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' },
      },
      containers: [
        { name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
      ],
    };
    expect(fields(pod)).toEqual([]);
  });

  test('baseline: unsafe sysctls, SELinux identities, procMount, AppArmor off, hostPort, host namespaces', () => {
    const pod = {
      hostIPC: true,
      securityContext: {
        sysctls: [
          { name: 'net.ipv4.tcp_syncookies', value: '1' },
          { name: 'kernel.msgmax', value: '1' },
        ],
        seLinuxOptions: { type: 'spc_t', user: 'root' },
      },
      containers: [
        {
          name: 'c',
          ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: { procMount: 'Unmasked', appArmorProfile: { type: 'Unconfined' } },
        },
      ],
    };
    const annotations = { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' };
    expect(fields(pod, baseline, annotations).sort()).toEqual(
      [
        'hostIPC',
        'securityContext.sysctls[1].name',
        'securityContext.seLinuxOptions.type',
        'securityContext.seLinuxOptions.user',
        'annotation:',
        'container:securityContext.procMount',
        'container:securityContext.appArmorProfile.type',
        'container:ports[0].hostPort',
      ].sort(),
    );
  });

  test('baseline lets a container add its listed capabilities; restricted only NET_BIND_SERVICE', () => {
    const pod = (add: string[]) => ({
      containers: [{ name: 'c', securityContext: { ...hardened, capabilities: { drop: ['ALL'], add } } }],
    });
    expect(fields(pod(['CHOWN']), baseline)).toEqual([]);
    expect(fields(pod(['NET_ADMIN']), baseline)).toEqual(['container:securityContext.capabilities.add[0]']);
    expect(fields(pod(['NET_BIND_SERVICE']))).toEqual([]);
    expect(fields(pod(['CHOWN']))).toEqual(['container:securityContext.capabilities.add[0]']);
    expect(fields(pod(['CHOWN']), { ...restricted, allowedCapabilities: ['CHOWN'] })).toEqual([]);
  });

  test('volume types: restricted allows its eight, the operator may allow more (hostPath included)', () => {
    const pod = (volume: object) => ({ ...good, volumes: [{ name: 'v', ...volume }] });
    expect(fields(pod({ projected: { sources: [] } }))).toEqual([]);
    expect(fields(pod({ nfs: { server: 'x', path: '/' } }))).toEqual(['volume:nfs']);
    expect(fields(pod({ nfs: { server: 'x', path: '/' } }), baseline)).toEqual([]);
    expect(fields(pod({ hostPath: { path: '/' } }), baseline)).toEqual(['volume:hostPath']);
    expect(
      fields(pod({ hostPath: { path: '/' } }), { ...restricted, allowedVolumeTypes: ['hostPath'] }),
    ).toEqual([]);
  });

  test('privileged checks nothing; init and ephemeral containers are checked like the others', () => {
    expect(fields({ hostNetwork: true }, { ...restricted, level: 'privileged' })).toEqual([]);
    const pod = {
      ...good,
      initContainers: [{ name: 'i', securityContext: { ...hardened, privileged: true } }],
      ephemeralContainers: [{ name: 'e', securityContext: { ...hardened, runAsUser: 0 } }],
    };
    expect(checkPodSecurity(pod, {}, restricted).map((v) => [v.at, v.field])).toEqual([
      [{ on: 'container', list: 'initContainers', index: 0, name: 'i' }, 'securityContext.privileged'],
      [{ on: 'container', list: 'ephemeralContainers', index: 0, name: 'e' }, 'securityContext.runAsUser'],
    ]);
  });

  test('values of the wrong type are judged by what Kubernetes would do with them, never thrown on', () => {
    expect(() => checkPodSecurity('nonsense', null, restricted)).not.toThrow();
    expect(() => checkPodSecurity({ containers: 'x', volumes: [null] }, [], restricted)).not.toThrow();
  });
});
