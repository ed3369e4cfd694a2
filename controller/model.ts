// The shared model (lib/, issue #2) as the controller sees it. Functions reach the controller
// through client-node, so their metadata is client-node's `V1ObjectMeta`, and the embedded
// objects the model keeps as plain records are typed here as the Kubernetes objects they are.
import type {
  V1Deployment,
  V1ObjectMeta,
  V1ServiceSpec,
  V2HorizontalPodAutoscalerSpec,
} from '@kubernetes/client-node';
import type { FunctionSpec as ModelSpec, FunctionStatus } from '../lib/types.js';

export type { Condition, FunctionStatus } from '../lib/types.js';
export type { RuntimeCatalog, RuntimeInfo } from '../lib/catalog.js';

export const GROUP = 'kubeless.io';
export const VERSION = 'v1beta1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const FUNCTION_PLURAL = 'functions';

export interface FunctionSpec extends Omit<ModelSpec, 'deployment' | 'service' | 'horizontalPodAutoscaler'> {
  deployment?: V1Deployment;
  service?: V1ServiceSpec;
  horizontalPodAutoscaler?: V2HorizontalPodAutoscalerSpec;
}

export interface KubelessFunction {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  spec: FunctionSpec;
  status?: FunctionStatus;
}
