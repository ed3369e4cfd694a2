// `--port`, `--servicePort` and `--headless`: the function's Service, in `spec.service` as the
// original Kubeless CLI wrote it. `--port` is the port the function listens on (the Service's
// targetPort, and its port unless `--servicePort` says otherwise). Pure.
import { DEFAULT_FUNCTION_PORT as DEFAULT_PORT, FUNCTION_PORT_NAME } from '../../lib/function/ports.js';
import { CliError } from '../errors.js';
import type { ServicePort, ServiceSpec } from '../kube/types.js';

export interface ServiceFlags {
  port?: string;
  servicePort?: string;
  headless?: boolean;
}

// The port's name and default are the shared rule's (lib/function/ports.ts), which the controller,
// `kubeless api` and the triggers read back.
export { FUNCTION_PORT_NAME };

function portNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1 || n > 65535) {
    throw new CliError(`invalid ${flag} "${value}": give a port number from 1 to 65535, e.g. ${flag} 8081`);
  }
  return n;
}

/** `service` with the flags applied, or the given value untouched when none was passed. */
export function applyServiceFlags(
  service: ServiceSpec | undefined,
  flags: ServiceFlags,
): ServiceSpec | undefined {
  const port = flags.port !== undefined ? portNumber(flags.port, '--port') : undefined;
  const servicePort =
    flags.servicePort !== undefined ? portNumber(flags.servicePort, '--servicePort') : undefined;
  if (port === undefined && servicePort === undefined && !flags.headless) return service;
  const next: ServiceSpec = { ...(service ?? {}) };
  if (port !== undefined || servicePort !== undefined) {
    const ports = [...(next.ports ?? [])];
    const found = ports.findIndex((p) => p.name === FUNCTION_PORT_NAME);
    const at = found >= 0 ? found : ports.length > 0 ? 0 : -1;
    const current: ServicePort =
      at >= 0
        ? ports[at]!
        : { name: FUNCTION_PORT_NAME, protocol: 'TCP', port: DEFAULT_PORT, targetPort: DEFAULT_PORT };
    const updated: ServicePort = { ...current };
    if (port !== undefined) {
      updated.targetPort = port;
      updated.port = port;
    }
    if (servicePort !== undefined) updated.port = servicePort;
    if (at >= 0) ports[at] = updated;
    else ports.push(updated);
    next.ports = ports;
  }
  if (flags.headless) next.clusterIP = 'None';
  return next;
}
