// The security-relevant part of a function's pod, shared by the controller (which renders it in
// full) and the webhook (which merges the user's template over it to judge what will run).
import { mergeObjects } from '../k8s/merge.js';

export const VOLUME_INSTALL = 'kubeless';
export const VOLUME_SOURCE = 'function-source';
export const VOLUME_TMP = 'tmp';

/**
 * Every container of a function pod (and of a CronJobTrigger's pod): Pod Security `restricted`.
 * A new object per call: a merge must never share one between containers.
 */
export function containerSecurity() {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

export function podSecurityContext(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

interface Named {
  metadata?: { name?: string };
  spec: { deployment?: object; deps?: string };
}

/**
 * The user's `spec.deployment`, normalised the way the controller reads it: manifests written for
 * the original Kubeless often give one container without a name, which always meant the
 * function's container, so it is named after the Function.
 */
export function userDeployment(fn: Named): Record<string, unknown> {
  const user = structuredClone((fn.spec.deployment ?? {}) as Record<string, unknown>);
  const containers = (user.spec as { template?: { spec?: { containers?: { name?: string }[] } } } | undefined)
    ?.template?.spec?.containers;
  if (Array.isArray(containers) && containers.length === 1 && !containers[0]?.name) {
    containers[0] = { ...containers[0], name: fn.metadata?.name ?? '' };
  }
  return user;
}

/**
 * What the controller's pod template holds that matters for security: the pod's security context,
 * no service account token, the function's container and its init steps, and their volumes.
 */
export function functionPodSkeleton(
  fn: Named,
  uid: number,
): { metadata: object; spec: Record<string, unknown> } {
  const name = fn.metadata?.name ?? '';
  const init = [{ name: 'prepare', securityContext: containerSecurity() }];
  if (fn.spec.deps) init.push({ name: 'install', securityContext: containerSecurity() });
  return {
    metadata: {},
    spec: {
      automountServiceAccountToken: false,
      securityContext: podSecurityContext(uid),
      initContainers: init,
      containers: [{ name, securityContext: containerSecurity() }],
      volumes: [
        { name: VOLUME_INSTALL, emptyDir: {} },
        { name: VOLUME_TMP, emptyDir: {} },
        { name: VOLUME_SOURCE, configMap: { name } },
      ],
    },
  };
}

/** The pod template the controller will render for `fn`, as far as security goes (the webhook's view). */
export function effectivePodTemplate(fn: Named, uid = 1000): { metadata?: unknown; spec?: unknown } {
  const user = userDeployment(fn) as { spec?: { template?: object } };
  return mergeObjects(functionPodSkeleton(fn, uid), user.spec?.template ?? {});
}
