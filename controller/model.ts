// The shared model (lib/, issue #2) as the controller sees it. Functions reach the controller
// through client-node, so their metadata is client-node's `V1ObjectMeta`, and the embedded
// objects the model keeps as plain records are typed here as the Kubernetes objects they are.
import type { V1Deployment, V1ObjectMeta, V1ServiceSpec } from '@kubernetes/client-node';
import type { ResolvedFunction as ResolvedOf } from '../lib/function/resolve.js';
import { PLURALS, type FunctionSpec as ModelSpec, type FunctionStatus } from '../lib/types.js';

export type { Condition, FunctionStatus } from '../lib/types.js';
export type { RuntimeCatalog, RuntimeInfo } from '../lib/catalog.js';

export const FUNCTION_PLURAL = PLURALS.Function;

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

/** A Function resolved once (lib/function/resolve.ts): what every desired object is rendered from. */
export type ResolvedFunction = ResolvedOf<KubelessFunction>;
