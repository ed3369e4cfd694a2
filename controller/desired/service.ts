import type { V1Service } from '@kubernetes/client-node';
import { FUNCTION_PORT } from '../config.js';
import type { KubelessFunction } from '../model.js';
import { mergeObjects } from './merge.js';
import { identityLabels, ownedMeta } from './meta.js';

export const SERVICE_PORT_NAME = 'http-function-port';

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
      : [{ name: SERVICE_PORT_NAME, port: FUNCTION_PORT, targetPort: FUNCTION_PORT, protocol: 'TCP' }];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ownedMeta(fn),
    spec: { ...spec, ports, selector: identityLabels(fn) },
  };
}
