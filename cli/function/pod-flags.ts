// Flags that land in `spec.deployment`'s pod template, where the original Kubeless CLI put them:
// env, memory/cpu, image and pull policy on the first (runtime) container; secrets as volumes
// mounted at /<secret>; node selectors and the service account on the pod. Pure.
import { CliError } from '../errors.js';
import type { Container, EnvVar, FunctionDeployment, PodSpec, Volume } from '../kube/types.js';
import {
  applyToMap,
  checkEnvNames,
  checkLabels,
  isEmptyChange,
  parseKeyValues,
  splitList,
  type KeyValueChange,
} from './key-values.js';

export interface PodFlags {
  env?: string[];
  memory?: string;
  cpu?: string;
  runtimeImage?: string;
  imagePullPolicy?: string;
  /** Secret names (comma lists allowed); `name-` unmounts on update. */
  secrets?: string[];
  nodeSelectors?: string[];
  serviceAccount?: string;
}

export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const QUANTITY_RE = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function checkQuantity(value: string, flag: string, example: string): void {
  if (!QUANTITY_RE.test(value)) {
    throw new CliError(`invalid ${flag} "${value}": give a Kubernetes quantity, e.g. ${flag} ${example}`);
  }
}

function checkObjectName(value: string, flag: string, what: string): void {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    throw new CliError(
      `invalid ${flag} "${value}": ${what} names are lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,
    );
  }
}

function applyEnv(current: EnvVar[] | undefined, change: KeyValueChange): EnvVar[] {
  const result: EnvVar[] = [];
  for (const e of current ?? []) {
    if (change.remove.includes(e.name)) continue;
    // A variable set from the command line replaces any valueFrom it had.
    result.push(Object.hasOwn(change.set, e.name) ? { name: e.name, value: change.set[e.name] } : e);
  }
  for (const [name, value] of Object.entries(change.set)) {
    if (!result.some((e) => e.name === name)) result.push({ name, value });
  }
  return result;
}

function setResource(container: Container, resource: 'memory' | 'cpu', value: string): Container {
  // Same value as request and limit, as the original Kubeless did: the function gets what it asks.
  const resources = container.resources ?? {};
  return {
    ...container,
    resources: {
      ...resources,
      limits: { ...(resources.limits ?? {}), [resource]: value },
      requests: { ...(resources.requests ?? {}), [resource]: value },
    },
  };
}

interface SecretChange {
  mount: string[];
  unmount: string[];
}

function parseSecrets(occurrences: string[] | undefined): SecretChange {
  const change: SecretChange = { mount: [], unmount: [] };
  for (const item of (occurrences ?? []).flatMap((v) => splitList(v, '--secrets'))) {
    const remove = item.endsWith('-');
    const name = remove ? item.slice(0, -1) : item;
    checkObjectName(name, '--secrets', 'Secret');
    // The volume is named <secret>-vol, as the original named it; a volume name is a DNS label.
    if (name.length > 59 || !DNS1123_LABEL.test(name)) {
      throw new CliError(
        `cannot mount --secrets "${name}": its volume would be "${name}-vol", which is not a DNS label; mount it through spec.deployment in a manifest instead`,
      );
    }
    (remove ? change.unmount : change.mount).push(name);
  }
  return change;
}

function applySecrets(podSpec: PodSpec, container: Container, change: SecretChange): [PodSpec, Container] {
  const gone = new Set(change.unmount.map((s) => `${s}-vol`));
  let volumes: Volume[] = (podSpec.volumes ?? []).filter((v) => !gone.has(v.name));
  let mounts = (container.volumeMounts ?? []).filter((m) => !gone.has(m.name));
  for (const secret of change.mount) {
    const name = `${secret}-vol`;
    if (!volumes.some((v) => v.name === name))
      volumes = [...volumes, { name, secret: { secretName: secret } }];
    if (!mounts.some((m) => m.name === name)) mounts = [...mounts, { name, mountPath: `/${secret}` }];
  }
  return [
    { ...podSpec, volumes },
    { ...container, volumeMounts: mounts },
  ];
}

/** Checks every pod flag; throws a CliError naming the flag and the fix. */
function readPodFlags(flags: PodFlags): {
  env: KeyValueChange;
  nodeSelectors: KeyValueChange;
  secrets: SecretChange;
} {
  if (flags.memory !== undefined) checkQuantity(flags.memory, '--memory', '128Mi');
  if (flags.cpu !== undefined) checkQuantity(flags.cpu, '--cpu', '250m');
  if (flags.imagePullPolicy !== undefined && !PULL_POLICIES.includes(flags.imagePullPolicy)) {
    throw new CliError(
      `invalid --image-pull-policy "${flags.imagePullPolicy}": use one of ${PULL_POLICIES.join(', ')}`,
    );
  }
  if (flags.runtimeImage !== undefined && (flags.runtimeImage === '' || /\s/.test(flags.runtimeImage))) {
    throw new CliError(
      `invalid --runtime-image "${flags.runtimeImage}": give an image reference, e.g. registry.example.com/team/runtime-nodejs:20`,
    );
  }
  if (flags.serviceAccount !== undefined) {
    checkObjectName(flags.serviceAccount, '--service-account', 'ServiceAccount');
  }
  const env = parseKeyValues(flags.env, '--env');
  checkEnvNames(env, '--env');
  const nodeSelectors = parseKeyValues(flags.nodeSelectors, '--node-selectors');
  checkLabels(nodeSelectors, '--node-selectors');
  return { env, nodeSelectors, secrets: parseSecrets(flags.secrets) };
}

/**
 * `deployment` with the pod flags applied (a new object; flags left out keep what it has), or the
 * given value untouched when no pod flag was passed, so a plain deploy carries no template.
 */
export function applyPodFlags(
  deployment: FunctionDeployment | undefined,
  flags: PodFlags,
): FunctionDeployment | undefined {
  const { env, nodeSelectors, secrets } = readPodFlags(flags);
  const touched =
    !isEmptyChange(env) ||
    !isEmptyChange(nodeSelectors) ||
    secrets.mount.length + secrets.unmount.length > 0 ||
    [flags.memory, flags.cpu, flags.runtimeImage, flags.imagePullPolicy, flags.serviceAccount].some(
      (v) => v !== undefined,
    );
  if (!touched) return deployment;
  const base = deployment ?? {};
  let podSpec: PodSpec = { ...(base.spec?.template?.spec ?? {}) };
  const containers = [...(podSpec.containers ?? [])];
  let container: Container = { ...(containers[0] ?? {}) };
  if (!isEmptyChange(env)) container.env = applyEnv(container.env, env);
  if (flags.memory !== undefined) container = setResource(container, 'memory', flags.memory);
  if (flags.cpu !== undefined) container = setResource(container, 'cpu', flags.cpu);
  if (flags.runtimeImage !== undefined) container.image = flags.runtimeImage;
  if (flags.imagePullPolicy !== undefined) container.imagePullPolicy = flags.imagePullPolicy;
  if (secrets.mount.length + secrets.unmount.length > 0) {
    [podSpec, container] = applySecrets(podSpec, container, secrets);
  }
  if (!isEmptyChange(nodeSelectors)) podSpec.nodeSelector = applyToMap(podSpec.nodeSelector, nodeSelectors);
  if (flags.serviceAccount !== undefined) podSpec.serviceAccountName = flags.serviceAccount;
  containers[0] = container;
  return {
    ...base,
    spec: { ...base.spec, template: { ...base.spec?.template, spec: { ...podSpec, containers } } },
  };
}
