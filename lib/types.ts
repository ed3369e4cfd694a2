// The kubeless.io/v1beta1 kinds. Hand-written until openapi/generated lands; the names and
// shapes stay the same when they become re-exports of the generated types.

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** An embedded Kubernetes object (Deployment, ServiceSpec, HPA): kept as the user wrote it. */
export type EmbeddedObject = Record<string, unknown>;

export interface FunctionSpec {
  function?: string;
  handler: string;
  runtime: string;
  deps?: string;
  checksum?: string;
  'function-content-type'?: string;
  timeout?: string;
  deployment?: EmbeddedObject;
  service?: EmbeddedObject;
  horizontalPodAutoscaler?: EmbeddedObject;
}

export interface FunctionStatus {
  observedGeneration?: number;
  readyReplicas?: number;
  conditions?: Condition[];
}

export interface KubelessFunction {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: FunctionSpec;
  status?: FunctionStatus;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface TriggerStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

export interface KafkaTriggerSpec {
  topic: string;
  functionSelector: LabelSelector;
  deadLetterTopic?: string;
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  timeoutSeconds?: number;
  maxInFlight?: number;
}

export interface KafkaTrigger {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: KafkaTriggerSpec;
  status?: TriggerStatus;
}

export interface HTTPTriggerSpec {
  'function-name': string;
  'host-name'?: string;
  path?: string;
  tls?: boolean;
  'tls-secret'?: string;
  'basic-auth-secret'?: string;
  gateway?: string;
  'cors-enable'?: boolean;
}

export interface HTTPTrigger {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: HTTPTriggerSpec;
  status?: TriggerStatus;
}

export interface CronJobTriggerSpec {
  'function-name': string;
  schedule: string;
  payload?: unknown;
  timeZone?: string;
}

export interface CronJobTrigger {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: CronJobTriggerSpec;
  status?: TriggerStatus;
}

export const GROUP = 'kubeless.io';
export const VERSION = 'v1beta1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export type KubelessKind = 'Function' | 'KafkaTrigger' | 'HTTPTrigger' | 'CronJobTrigger';
export const KINDS: readonly KubelessKind[] = ['Function', 'KafkaTrigger', 'HTTPTrigger', 'CronJobTrigger'];
/** Resource (plural) names, as they appear in API paths. */
export const PLURALS: Record<KubelessKind, string> = {
  Function: 'functions',
  KafkaTrigger: 'kafkatriggers',
  HTTPTrigger: 'httptriggers',
  CronJobTrigger: 'cronjobtriggers',
};
