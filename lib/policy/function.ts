// Whether a Function may have the pod and Service it asks for, under the operator's policy. The
// webhook judges the pod it expects the controller to render (effectivePodTemplate); the
// controller judges the one it did render, before applying it. Both get the same FieldErrors,
// named by the Function's own fields.
import { type FieldError, forbidden, quote } from '../function/errors.js';
import type { FunctionPolicy } from './config.js';
import { effectivePodTemplate, userDeployment } from './function-pod.js';
import { checkPodSecurity, type Location, type PodViolation } from './pod-security.js';
import { checkService } from './service.js';
import { sourceUrlProblem } from './source.js';

export interface PolicySubject {
  metadata?: { name?: string; namespace?: string };
  spec: {
    deployment?: object;
    service?: object;
    deps?: string;
    function?: string;
    'function-content-type'?: string;
  };
}

export interface PolicyContext {
  /** Kubeless's own namespace: Functions never run there (its service accounts are the platform's). */
  installNamespace?: string;
}

/** The pod template and Service spec that will run, as far as the policy is concerned. */
export interface Workload {
  podTemplate: { metadata?: unknown; spec?: unknown };
  serviceSpec?: unknown;
}

const POD = 'spec.deployment.spec.template';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/** The pod template and Service the webhook expects for `fn` (the user's fields over the controller's). */
export function expectedWorkload(fn: PolicySubject): Workload {
  return { podTemplate: effectivePodTemplate(fn), serviceSpec: fn.spec.service };
}

function userIndex(fn: PolicySubject, list: string, name: string): number {
  const template = obj(obj(userDeployment(fn).spec).template);
  const items = obj(template.spec)[list];
  return Array.isArray(items) ? items.findIndex((i) => obj(i).name === name) : -1;
}

/** The Function field a violation is about, by the user's own indexes where the item is theirs. */
function fieldOf(fn: PolicySubject, at: Location, field: string): string {
  const below = field ? `.${field}` : '';
  switch (at.on) {
    case 'pod':
      return `${POD}.spec${below}`;
    case 'annotation':
      return `${POD}.metadata.annotations[${JSON.stringify(at.key)}]`;
    case 'volume': {
      const i = userIndex(fn, 'volumes', at.name);
      return `${POD}.spec.volumes[${i >= 0 ? i : JSON.stringify(at.name)}]${below}`;
    }
    case 'container': {
      const i = userIndex(fn, at.list, at.name);
      return `${POD}.spec.${at.list}[${i >= 0 ? i : JSON.stringify(at.name)}]${below}`;
    }
  }
}

function podErrors(fn: PolicySubject, violations: PodViolation[], policy: FunctionPolicy): FieldError[] {
  return violations.map((v) =>
    forbidden(
      fieldOf(fn, v.at, v.field),
      `${quote(v.value)}: ${v.why}`,
      `${v.fix} (this cluster's function pods must meet the Pod Security "${policy.podSecurity}" profile)`,
    ),
  );
}

function serviceAccountErrors(fn: PolicySubject, pod: Obj, policy: FunctionPolicy): FieldError[] {
  const ns = fn.metadata?.namespace ?? 'default';
  const errors: FieldError[] = [];
  for (const key of ['serviceAccountName', 'serviceAccount'] as const) {
    const sa = pod[key];
    if (sa === undefined || sa === '' || sa === 'default') continue;
    const allowed = policy.allowedServiceAccounts.some((a) => a === sa || a === `${ns}/${String(sa)}`);
    if (!allowed) {
      errors.push(
        forbidden(
          `${POD}.spec.${key}`,
          `${quote(sa)}: a Function runs as the namespace's default service account unless the operator allows another, because whoever may write Functions would otherwise act with that account's permissions`,
          `remove ${key}, or ask the operator to add "${ns}/${String(sa)}" to functionPolicy.allowedServiceAccounts`,
        ),
      );
    }
  }
  return errors;
}

/** Functions never run in Kubeless's own namespace (the webhook's selector skips it, so the controller refuses). */
export function installNamespaceError(fn: PolicySubject, ctx: PolicyContext): FieldError | undefined {
  const ns = fn.metadata?.namespace;
  if (!ctx.installNamespace || ns !== ctx.installNamespace) return undefined;
  return forbidden(
    'metadata.namespace',
    `${quote(ns)} is Kubeless's own namespace, whose service accounts hold the platform's permissions`,
    'create the Function in another namespace',
  );
}

/** Every policy problem of `fn` whose pod and Service will be `workload`. */
export function functionPolicyErrors(
  fn: PolicySubject,
  workload: Workload,
  policy: FunctionPolicy,
  ctx: PolicyContext = {},
): FieldError[] {
  const nsError = installNamespaceError(fn, ctx);
  if (nsError) return [nsError];
  const template = obj(workload.podTemplate);
  const pod = obj(template.spec);
  const violations = checkPodSecurity(pod, obj(template.metadata).annotations, {
    level: policy.podSecurity,
    allowedVolumeTypes: policy.allowedVolumeTypes,
    allowedCapabilities: policy.allowedCapabilities,
  });
  const service = checkService(workload.serviceSpec, policy).map((v) =>
    forbidden(`spec.service.${v.field}`, `${quote(v.value)}: ${v.why}`, v.fix),
  );
  const source = sourceUrlProblem(fn.spec, policy.allowHttpSources);
  return [
    ...serviceAccountErrors(fn, pod, policy),
    ...podErrors(fn, violations, policy),
    ...service,
    ...(source ? [forbidden('spec.function', source.message, source.fix)] : []),
  ];
}
