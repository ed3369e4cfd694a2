// The slices of Kubernetes objects the CLI reads. Kept structural and partial on purpose: the CLI
// must tolerate servers (local platform, real clusters) that add fields it does not know.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  generation?: number;
  uid?: string;
  creationTimestamp?: string;
}

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

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
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

export interface FunctionSpec {
  function?: string;
  'function-content-type'?: string;
  checksum?: string;
  handler?: string;
  runtime?: string;
  deps?: string;
  timeout?: string;
  deployment?: FunctionDeployment;
  service?: ServiceSpec;
  [extra: string]: unknown;
}

export interface FunctionObject {
  apiVersion: string;
  kind: 'Function';
  metadata: ObjectMeta;
  spec: FunctionSpec;
  status?: { observedGeneration?: number; conditions?: Condition[]; [extra: string]: unknown };
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
