// The slice of the shared model (issue #2, `lib/`) the controller needs. `lib/types.ts` and
// `lib/catalog.ts` had not landed when the controller was written; these shapes follow ADR 0001
// so that switching the imports over is a one-file change.
import type {
  V1Deployment,
  V1ObjectMeta,
  V1ServiceSpec,
  V2HorizontalPodAutoscalerSpec,
} from '@kubernetes/client-node';

export const GROUP = 'kubeless.io';
export const VERSION = 'v1beta1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const FUNCTION_PLURAL = 'functions';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface FunctionSpec {
  function?: string;
  handler: string;
  runtime: string;
  deps?: string;
  checksum?: string;
  'function-content-type'?: string;
  timeout?: string;
  deployment?: V1Deployment;
  service?: V1ServiceSpec;
  horizontalPodAutoscaler?: V2HorizontalPodAutoscalerSpec;
}

export interface FunctionStatus {
  observedGeneration?: number;
  readyReplicas?: number;
  conditions?: Condition[];
}

export interface KubelessFunction {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  spec: FunctionSpec;
  status?: FunctionStatus;
}

export interface RuntimeInfo {
  id: string;
  language: 'nodejs' | 'python';
  version: string;
  depsFile: string;
  suffix: string;
  images: { runtime: string; install: string };
}

export interface RuntimeCatalog {
  runtimes: RuntimeInfo[];
}
