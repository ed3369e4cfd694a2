// The shared model (lib/, issue #2) as the controller sees it. Functions reach the controller
// through client-node, so their metadata is client-node's `V1ObjectMeta`, and the embedded
// objects the model keeps as plain records are typed here as the Kubernetes objects they are.
import type { V1Deployment, V1ObjectMeta, V1ServiceSpec } from '@kubernetes/client-node';
import type { FunctionSpec as ModelSpec, FunctionStatus } from '../lib/types.js';

export type { Condition, FunctionStatus } from '../lib/types.js';
export type { RuntimeCatalog, RuntimeInfo } from '../lib/catalog.js';

export const GROUP = 'kubeless.io';
export const VERSION = 'v1beta1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const FUNCTION_PLURAL = 'functions';

// horizontalPodAutoscaler keeps the model's type: the original's whole-object shape, which
// controller/desired/hpa.ts reads (docs/adr/0012).
export interface FunctionSpec extends Omit<ModelSpec, 'deployment' | 'service'> {
  deployment?: V1Deployment;
  service?: V1ServiceSpec;
}

export interface KubelessFunction {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  spec: FunctionSpec;
  status?: FunctionStatus;
}
