import type { V1Service } from '@kubernetes/client-node';
import { FUNCTION_PORT } from '../config.js';
import type { KubelessFunction } from '../model.js';
import { mergeObjects } from './merge.js';
import { identityLabels, ownedMeta } from './meta.js';

export const SERVICE_PORT_NAME = 'http-function-port';

/** `spec.service` is merged over ours (user wins, ports replace ours), but the selector always targets the function's pods. */
export function desiredService(fn: KubelessFunction): V1Service {
  const spec = mergeObjects(
    {
      type: 'ClusterIP',
      ports: [{ name: SERVICE_PORT_NAME, port: FUNCTION_PORT, targetPort: FUNCTION_PORT, protocol: 'TCP' }],
    },
    fn.spec.service ?? {},
  );
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ownedMeta(fn),
    spec: { ...spec, selector: identityLabels(fn) },
  };
}
