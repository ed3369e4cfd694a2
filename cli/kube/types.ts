// The slices of Kubernetes objects the CLI reads. Kept structural and partial on purpose: the CLI
// must tolerate servers (local platform, real clusters) that add fields it does not know. The
// kubeless.io kinds themselves are lib/types.ts's, generated from openapi/.
import type {
  Condition as ModelCondition,
  FunctionSpec as ModelSpec,
  FunctionStatus as ModelStatus,
  ObjectMeta,
} from '../../lib/types.js';

export type { ObjectMeta };

/** A condition as the CLI reads it: the model's, with only its type and status taken for granted. */
export type Condition = Pick<ModelCondition, 'type' | 'status'> & Partial<ModelCondition>;

export interface StatusCause {
  /** kube-apiserver calls it `reason` (FieldValueInvalid ...); some servers send `type`. */
  reason?: string;
  type?: string;
  message?: string;
  field?: string;
}

/** A `meta/v1 Status`, the body of every Kubernetes API error. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion?: string;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
}

export function isKubeStatus(value: unknown): value is KubeStatus {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

export interface EnvVar {
  name: string;
  value?: string;
}

export interface ResourceRequirements {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  [extra: string]: unknown;
}

export interface Container {
  name?: string;
  image?: string;
  imagePullPolicy?: string;
  env?: EnvVar[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  [extra: string]: unknown;
}

export interface Volume {
  name: string;
  secret?: { secretName?: string; [extra: string]: unknown };
  [extra: string]: unknown;
}

export interface PodSpec {
  containers?: Container[];
  volumes?: Volume[];
  nodeSelector?: Record<string, string>;
  serviceAccountName?: string;
  [extra: string]: unknown;
}

export interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
  protocol?: string;
  [extra: string]: unknown;
}

export interface ServiceSpec {
  ports?: ServicePort[];
  clusterIP?: string;
  [extra: string]: unknown;
}

export interface FunctionDeployment {
  spec?: { template?: { spec?: PodSpec; [extra: string]: unknown }; [extra: string]: unknown };
  [extra: string]: unknown;
}

/**
 * The model's spec as the CLI reads and builds it: every field optional (a flag at a time), the
 * embedded Deployment and Service typed as the slices above, unknown fields kept.
 */
export interface FunctionSpec extends Partial<Omit<ModelSpec, 'deployment' | 'service'>> {
  deployment?: FunctionDeployment;
  service?: ServiceSpec;
  [extra: string]: unknown;
}

/** A Function as the CLI reads and writes it: lib/types.ts's model, read tolerantly. */
export interface FunctionObject {
  apiVersion: string;
  kind: 'Function';
  metadata: ObjectMeta;
  spec: FunctionSpec;
  status?: Omit<ModelStatus, 'conditions'> & { conditions?: Condition[]; [extra: string]: unknown };
}

export interface FunctionList {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string };
  items: FunctionObject[];
}

export interface KubeEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  metadata?: ObjectMeta;
  source?: { component?: string };
}
