import type { V1Service } from '@kubernetes/client-node';
import { DEFAULT_FUNCTION_PORT, FUNCTION_PORT_NAME } from '../../lib/function/ports.js';
import type { KubelessFunction } from '../model.js';
import { mergeObjects } from '../../lib/k8s/merge.js';
import { identityLabels, ownedMeta } from './meta.js';

/**
 * `spec.service` is merged over ours (user wins) and its `ports`, when set, replace ours whole, as
 * in the original Kubeless (e.g. a headless Service on 9090). The generic merge keys container
 * ports by containerPort, which Service ports lack: it appended them, and a renumbered
 * http-function-port then failed as a duplicate name. The selector always targets the function's pods.
 */
export function desiredService(fn: KubelessFunction): V1Service {
  const user = fn.spec.service ?? {};
  const { ports: userPorts, ...rest } = user;
  const spec = mergeObjects({ type: 'ClusterIP' }, rest);
  const ports =
    userPorts && userPorts.length > 0
      ? structuredClone(userPorts)
      : [
          {
            name: FUNCTION_PORT_NAME,
            port: DEFAULT_FUNCTION_PORT,
            targetPort: DEFAULT_FUNCTION_PORT,
            protocol: 'TCP',
          },
        ];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ownedMeta(fn),
    spec: { ...spec, ports, selector: identityLabels(fn) },
  };
}
