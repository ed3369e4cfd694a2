// The Kubernetes Pod Security Standards (baseline and restricted, as of Kubernetes 1.34) applied
// to a pod spec, with the exceptions an operator allows. Pure: a pod spec in, violations out.
// Kept close to the standard's own controls so a pod we accept is one Pod Security Admission in
// `restricted` admits too; the operator's allowlists only ever widen it.

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface PodSecurityOptions {
  level: PodSecurityLevel;
  /** Volume types allowed beyond the level's own (e.g. `hostPath`). */
  allowedVolumeTypes: readonly string[];
  /** Capabilities a container may add beyond the level's own (e.g. `NET_ADMIN`). */
  allowedCapabilities: readonly string[];
}

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

/** Where a problem is: the pod spec itself, one of its containers, or one of its volumes. */
export type Location =
  | { on: 'pod' }
  | { on: 'container'; list: ContainerList; index: number; name: string }
  | { on: 'volume'; index: number; name: string }
  | { on: 'annotation'; key: string };

export interface PodViolation {
  at: Location;
  /** Dotted path below the location, e.g. `securityContext.privileged`. */
  field: string;
  value: unknown;
  /** Why the value is refused, in the user's terms. */
  why: string;
  /** What to write instead. */
  fix: string;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The volume types the restricted profile allows. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** Capabilities the baseline profile lets a container add. */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

/** Namespaced sysctls the kubelet treats as safe. */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];

const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

interface Container {
  list: ContainerList;
  index: number;
  name: string;
  spec: Obj;
}

function containersOf(pod: Obj): Container[] {
  const out: Container[] = [];
  for (const l of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    list(pod[l]).forEach((c, index) => {
      const spec = obj(c);
      out.push({ list: l, index, name: typeof spec.name === 'string' ? spec.name : '', spec });
    });
  }
  return out;
}

const atPod: Location = { on: 'pod' };
const atContainer = (c: Container): Location => ({
  on: 'container',
  list: c.list,
  index: c.index,
  name: c.name,
});

/** The checks both levels share: known ways out of the container onto the node. */
function baseline(pod: Obj, annotations: Obj, opts: PodSecurityOptions, out: PodViolation[]): void {
  const level = opts.level;
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (pod[key] === true) {
      out.push({
        at: atPod,
        field: key,
        value: true,
        why: `shares the node's ${key.slice(4) === 'Network' ? 'network' : key.slice(4)} namespace with the function, which the ${level} pod security profile forbids`,
        fix: `remove ${key}`,
      });
    }
  }
  const podSc = obj(pod.securityContext);
  if (obj(podSc.windowsOptions).hostProcess === true) {
    out.push({
      at: atPod,
      field: 'securityContext.windowsOptions.hostProcess',
      value: true,
      why: 'a HostProcess pod runs on the Windows node itself',
      fix: 'remove windowsOptions.hostProcess',
    });
  }
  selinux(atPod, 'securityContext.seLinuxOptions', podSc.seLinuxOptions, out);
  seccompNotUnconfined(atPod, 'securityContext.seccompProfile', podSc.seccompProfile, out);
  appArmor(atPod, 'securityContext.appArmorProfile', podSc.appArmorProfile, out);
  list(podSc.sysctls).forEach((s, i) => {
    const name = obj(s).name;
    if (typeof name !== 'string' || !SAFE_SYSCTLS.includes(name)) {
      out.push({
        at: atPod,
        field: `securityContext.sysctls[${i}].name`,
        value: name,
        why: 'is not one of the sysctls the kubelet treats as safe (namespaced to the pod)',
        fix: `use only ${SAFE_SYSCTLS.join(', ')}`,
      });
    }
  });
  list(pod.volumes).forEach((v, index) => {
    const volume = obj(v);
    const at: Location = { on: 'volume', index, name: typeof volume.name === 'string' ? volume.name : '' };
    if (volume.hostPath !== undefined && !opts.allowedVolumeTypes.includes('hostPath')) {
      out.push({
        at,
        field: 'hostPath',
        value: volume.hostPath,
        why: "mounts a directory of the node into the function's pod",
        fix: 'use an emptyDir, configMap, secret or persistentVolumeClaim volume instead',
      });
    }
  });
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith('container.apparmor.security.beta.kubernetes.io/')) continue;
    if (value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/'))) {
      out.push({
        at: { on: 'annotation', key },
        field: '',
        value,
        why: 'turns AppArmor off for the container',
        fix: 'use runtime/default or a localhost/ profile, or remove the annotation',
      });
    }
  }
  const allowedAdds = [...BASELINE_CAPABILITIES, ...opts.allowedCapabilities];
  for (const c of containersOf(pod)) {
    const sc = obj(c.spec.securityContext);
    const at = atContainer(c);
    if (sc.privileged === true) {
      out.push({
        at,
        field: 'securityContext.privileged',
        value: true,
        why: 'a privileged container has every capability and the devices of the node',
        fix: 'remove privileged (or set it to false)',
      });
    }
    if (obj(sc.windowsOptions).hostProcess === true) {
      out.push({
        at,
        field: 'securityContext.windowsOptions.hostProcess',
        value: true,
        why: 'a HostProcess container runs on the Windows node itself',
        fix: 'remove windowsOptions.hostProcess',
      });
    }
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      out.push({
        at,
        field: 'securityContext.procMount',
        value: sc.procMount,
        why: "unmasks the node's /proc paths in the container",
        fix: 'remove procMount (or set it to Default)',
      });
    }
    selinux(at, 'securityContext.seLinuxOptions', sc.seLinuxOptions, out);
    seccompNotUnconfined(at, 'securityContext.seccompProfile', sc.seccompProfile, out);
    appArmor(at, 'securityContext.appArmorProfile', sc.appArmorProfile, out);
    list(obj(sc.capabilities).add).forEach((cap, i) => {
      if (level === 'restricted' ? false : !allowedAdds.includes(String(cap))) {
        out.push({
          at,
          field: `securityContext.capabilities.add[${i}]`,
          value: cap,
          why: `is not a capability the ${level} pod security profile lets a container add`,
          fix: `add only ${BASELINE_CAPABILITIES.join(', ')}, or ask the operator to allow it (functionPolicy.allowedCapabilities)`,
        });
      }
    });
    list(c.spec.ports).forEach((p, i) => {
      const hostPort = obj(p).hostPort;
      if (hostPort !== undefined && hostPort !== 0) {
        out.push({
          at,
          field: `ports[${i}].hostPort`,
          value: hostPort,
          why: "binds a port of the node's own address",
          fix: 'remove hostPort; the function is reached through its Service',
        });
      }
    });
  }
}

function selinux(at: Location, field: string, value: unknown, out: PodViolation[]): void {
  if (value === undefined) return;
  const o = obj(value);
  const type = o.type ?? '';
  if (typeof type !== 'string' || !SELINUX_TYPES.includes(type)) {
    out.push({
      at,
      field: `${field}.type`,
      value: type,
      why: 'is not one of the SELinux types a container may run as',
      fix: `use ${SELINUX_TYPES.filter(Boolean).join(', ')} or leave it out`,
    });
  }
  for (const key of ['user', 'role'] as const) {
    if (o[key] !== undefined && o[key] !== '') {
      out.push({
        at,
        field: `${field}.${key}`,
        value: o[key],
        why: 'sets a custom SELinux identity',
        fix: `remove seLinuxOptions.${key}`,
      });
    }
  }
}

function seccompNotUnconfined(at: Location, field: string, value: unknown, out: PodViolation[]): void {
  if (obj(value).type === 'Unconfined') {
    out.push({
      at,
      field: `${field}.type`,
      value: 'Unconfined',
      why: 'turns the seccomp system-call filter off',
      fix: 'use RuntimeDefault (or a Localhost profile)',
    });
  }
}

function appArmor(at: Location, field: string, value: unknown, out: PodViolation[]): void {
  const type = obj(value).type;
  if (type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') {
    out.push({
      at,
      field: `${field}.type`,
      value: type,
      why: 'turns AppArmor off',
      fix: 'use RuntimeDefault (or a Localhost profile)',
    });
  }
}

/** The restricted profile's extra checks: current hardening practice for every container. */
function restricted(pod: Obj, opts: PodSecurityOptions, out: PodViolation[]): void {
  const allowedVolumes = [...RESTRICTED_VOLUME_TYPES, ...opts.allowedVolumeTypes];
  list(pod.volumes).forEach((v, index) => {
    const volume = obj(v);
    const at: Location = { on: 'volume', index, name: typeof volume.name === 'string' ? volume.name : '' };
    for (const type of Object.keys(volume)) {
      if (type === 'name' || type === 'hostPath' || allowedVolumes.includes(type)) continue;
      out.push({
        at,
        field: type,
        value: volume[type],
        why: `is a ${type} volume, which the restricted pod security profile does not allow`,
        fix: `use one of ${RESTRICTED_VOLUME_TYPES.join(', ')}, or ask the operator to allow ${type} (functionPolicy.allowedVolumeTypes)`,
      });
    }
  });
  const podSc = obj(pod.securityContext);
  if (podSc.runAsNonRoot === false) {
    out.push({
      at: atPod,
      field: 'securityContext.runAsNonRoot',
      value: false,
      why: 'lets the function run as root',
      fix: 'remove runAsNonRoot (the function pod sets true)',
    });
  }
  if (podSc.runAsUser === 0) {
    out.push({
      at: atPod,
      field: 'securityContext.runAsUser',
      value: 0,
      why: 'runs the function as root',
      fix: 'use a non-zero uid (the runtime images run as 1000) or leave it out',
    });
  }
  const podSeccomp = obj(podSc.seccompProfile).type;
  const podSeccompSet = podSeccomp === 'RuntimeDefault' || podSeccomp === 'Localhost';
  const allowedAdds = [...opts.allowedCapabilities, 'NET_BIND_SERVICE'];
  for (const c of containersOf(pod)) {
    const sc = obj(c.spec.securityContext);
    const at = atContainer(c);
    if (sc.allowPrivilegeEscalation !== false) {
      out.push({
        at,
        field: 'securityContext.allowPrivilegeEscalation',
        value: sc.allowPrivilegeEscalation ?? null,
        why: 'must be false so a setuid binary cannot gain privileges',
        fix: 'set securityContext.allowPrivilegeEscalation: false',
      });
    }
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true && sc.runAsNonRoot !== false && podSc.runAsNonRoot !== false) {
      out.push({
        at,
        field: 'securityContext.runAsNonRoot',
        value: sc.runAsNonRoot ?? null,
        why: 'must be true (here or on the pod) so the container cannot run as root',
        fix: 'set securityContext.runAsNonRoot: true',
      });
    }
    if (sc.runAsNonRoot === false) {
      out.push({
        at,
        field: 'securityContext.runAsNonRoot',
        value: false,
        why: 'lets the container run as root',
        fix: 'remove runAsNonRoot or set it to true',
      });
    }
    if (sc.runAsUser === 0) {
      out.push({
        at,
        field: 'securityContext.runAsUser',
        value: 0,
        why: 'runs the container as root',
        fix: 'use a non-zero uid or leave it out',
      });
    }
    const seccomp = obj(sc.seccompProfile).type;
    if (
      !podSeccompSet &&
      seccomp !== 'RuntimeDefault' &&
      seccomp !== 'Localhost' &&
      seccomp !== 'Unconfined'
    ) {
      out.push({
        at,
        field: 'securityContext.seccompProfile.type',
        value: seccomp ?? null,
        why: 'must be RuntimeDefault or Localhost (here or on the pod)',
        fix: 'set securityContext.seccompProfile.type: RuntimeDefault',
      });
    }
    const caps = obj(sc.capabilities);
    if (!list(caps.drop).includes('ALL')) {
      out.push({
        at,
        field: 'securityContext.capabilities.drop',
        value: caps.drop ?? null,
        why: 'must include ALL so the container keeps no Linux capability it did not ask for',
        fix: 'set securityContext.capabilities.drop: [ALL]',
      });
    }
    list(caps.add).forEach((cap, i) => {
      if (!allowedAdds.includes(String(cap))) {
        out.push({
          at,
          field: `securityContext.capabilities.add[${i}]`,
          value: cap,
          why: 'the restricted pod security profile lets a container add only NET_BIND_SERVICE',
          fix: 'remove it, or ask the operator to allow it (functionPolicy.allowedCapabilities)',
        });
      }
    });
  }
}

/**
 * Every way `podSpec` breaks the chosen level, minus what the options allow. `annotations` are
 * the pod template's (the AppArmor annotations of older clusters live there).
 */
export function checkPodSecurity(
  podSpec: unknown,
  annotations: unknown,
  opts: PodSecurityOptions,
): PodViolation[] {
  if (opts.level === 'privileged') return [];
  const pod = obj(podSpec);
  const out: PodViolation[] = [];
  baseline(pod, obj(annotations), opts, out);
  if (opts.level === 'restricted') restricted(pod, opts, out);
  return out;
}
