import type { V1Container, V1Deployment, V1EnvVar, V1PodSpec } from '@kubernetes/client-node';
import { INSTALL_VOLUME, SOURCE_DIR, type ControllerConfig } from '../config.js';
import type { KubelessFunction, ResolvedFunction, RuntimeInfo } from '../model.js';
import { autoscalerSpec } from './hpa.js';
import { mergeObjects } from '../../lib/k8s/merge.js';
import {
  containerSecurity,
  podSecurityContext,
  userDeployment,
  VOLUME_INSTALL,
  VOLUME_SOURCE,
  VOLUME_TMP,
} from '../../lib/policy/function-pod.js';
import { ANNOTATION_CHECKSUM, identityLabels, nameOf, objectLabels, ownedMeta } from './meta.js';
import { runtimeEnv } from '../../lib/function/runtime-env.js';

/**
 * How long a terminating pod keeps serving before its runtime gets SIGTERM. Endpoint removal
 * reaches kube-proxy and the API server's lookups only after the pod is marked terminating, and
 * a runtime that stops listening at once refuses the calls still routed to it (the real-node
 * e2e lost 1-5 calls per code update without this; none with it).
 */
export const DRAIN_SECONDS = 5;

/** The runtime contract's env (lib/function/runtime-env.ts), with the memory limit read from the container. */
function containerEnv(resolved: ResolvedFunction, container: string): V1EnvVar[] {
  const env = runtimeEnv(
    resolved,
    { port: resolved.ports.runtimePort, installVolume: INSTALL_VOLUME },
    userEnvNames(resolved.fn, container),
  );
  return [
    ...env,
    // Read from the container's own limit so a limit set in the user's template is what the function sees.
    {
      name: 'FUNC_MEMORY_LIMIT',
      valueFrom: { resourceFieldRef: { containerName: container, resource: 'limits.memory' } },
    },
  ];
}

/** Names of the env variables the user's template gives the runtime container. */
function userEnvNames(fn: KubelessFunction, container: string): string[] {
  const containers = (userDeployment(fn) as V1Deployment).spec?.template?.spec?.containers ?? [];
  const ours = containers.find((c) => c.name === container);
  return (ours?.env ?? []).map((e) => e.name);
}

function initContainers(fn: KubelessFunction, runtime: RuntimeInfo, config: ControllerConfig): V1Container[] {
  const mounts = [
    { name: VOLUME_INSTALL, mountPath: INSTALL_VOLUME },
    { name: VOLUME_TMP, mountPath: '/tmp' },
  ];
  // Every value reaches the process as argv or env, never through a shell.
  const prepare: V1Container = {
    name: 'prepare',
    image: config.image,
    imagePullPolicy: config.imagePullPolicy,
    command: [
      ...config.kubelessCommand,
      'prepare',
      '--source',
      SOURCE_DIR,
      '--target',
      INSTALL_VOLUME,
      ...(config.policy.allowHttpSources ? ['--allow-http'] : []),
    ],
    env: [{ name: 'KUBELESS_RUNTIME', value: JSON.stringify(runtime) }],
    volumeMounts: [...mounts, { name: VOLUME_SOURCE, mountPath: SOURCE_DIR, readOnly: true }],
    securityContext: containerSecurity(),
  };
  if (!fn.spec.deps) return [prepare];
  const install: V1Container = {
    name: 'install',
    image: runtime.images.install,
    imagePullPolicy: config.imagePullPolicy,
    command: config.installCommands[runtime.language],
    env: [
      { name: 'KUBELESS_INSTALL_VOLUME', value: INSTALL_VOLUME },
      { name: 'FUNC_RUNTIME', value: runtime.id },
      { name: 'HOME', value: '/tmp' },
    ],
    volumeMounts: mounts,
    securityContext: containerSecurity(),
  };
  return [prepare, install];
}

function runtimeContainer(resolved: ResolvedFunction, config: ControllerConfig): V1Container {
  const { fn, runtime } = resolved;
  const name = nameOf(fn);
  // The Service's targetPort (8080 unless spec.service says otherwise): lib/function/ports.ts.
  const port = resolved.ports.runtimePort;
  const probe = { httpGet: { path: '/healthz', port } };
  return {
    name,
    image: runtime.images.runtime,
    imagePullPolicy: config.imagePullPolicy,
    // Container port names are limited to 15 characters; the Service names its port `http-function-port`.
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
    env: containerEnv(resolved, name),
    volumeMounts: [
      { name: VOLUME_INSTALL, mountPath: INSTALL_VOLUME },
      { name: VOLUME_TMP, mountPath: '/tmp' },
    ],
    readinessProbe: { ...probe, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { ...probe, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 },
    // kubelet's own sleep (no shell or binary needed in the image).
    lifecycle: { preStop: { sleep: { seconds: DRAIN_SECONDS } } },
    securityContext: containerSecurity(),
  };
}

function basePodSpec(resolved: ResolvedFunction, config: ControllerConfig): V1PodSpec {
  const { fn, runtime } = resolved;
  return {
    // The drain, then the longest call in flight may still finish (the runtime waits for it).
    terminationGracePeriodSeconds: DRAIN_SECONDS + resolved.timeoutSeconds + 5,
    // A function calls no Kubernetes API unless its author asks for the token (spec.deployment).
    automountServiceAccountToken: false,
    securityContext: podSecurityContext(config.runAsUser),
    initContainers: initContainers(fn, runtime, config),
    containers: [runtimeContainer(resolved, config)],
    volumes: [
      { name: VOLUME_INSTALL, emptyDir: {} },
      { name: VOLUME_TMP, emptyDir: {} },
      { name: VOLUME_SOURCE, configMap: { name: nameOf(fn) } },
    ],
  };
}

export function desiredDeployment(resolved: ResolvedFunction, config: ControllerConfig): V1Deployment {
  const { fn } = resolved;
  const identity = identityLabels(fn);
  const ours: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: ownedMeta(fn),
    spec: {
      // With an HPA the replica count is the HPA's to set; declaring it here would fight it.
      replicas: autoscalerSpec(fn) ? undefined : 1,
      selector: { matchLabels: identity },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels: { ...identity },
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(resolved.ports.runtimePort),
            'prometheus.io/path': '/metrics',
          },
        },
        spec: basePodSpec(resolved, config),
      },
    },
  };
  const merged = mergeObjects(ours, userDeployment(fn));
  // Re-assert what the controller relies on, whatever the template said.
  const spec = merged.spec!;
  const template = spec.template;
  merged.apiVersion = 'apps/v1';
  merged.kind = 'Deployment';
  merged.metadata = {
    ...merged.metadata,
    ...ownedMeta(fn),
    labels: objectLabels(fn, merged.metadata?.labels),
  };
  spec.selector = { matchLabels: identity };
  template.metadata = {
    ...template.metadata,
    labels: objectLabels(fn, template.metadata?.labels),
    annotations: {
      ...template.metadata?.annotations,
      // What rolls the pods when the template itself does not change (the code lives in the
      // ConfigMap): the one rollout hash the local platform restarts on too.
      [ANNOTATION_CHECKSUM]: resolved.rolloutHash,
    },
  };
  if (spec.replicas === undefined) delete spec.replicas;
  return merged;
}
