import { FUNCTION_PORT } from '../config.js';

/**
 * The little a trigger needs from its Function. Narrower than either Function type (the shared
 * model's or the controller's), so the builders accept both.
 */
export interface TriggerTarget {
  spec: { timeout?: string; service?: unknown };
}

interface PortLike {
  name?: unknown;
  port?: unknown;
}

/**
 * The port the Function's Service listens on. `spec.service.ports` replaces ours when set (as in
 * the original Kubeless, e.g. a headless Service on 9090), so a trigger must follow it: the port
 * named http-function-port, else the first one, else 8080.
 */
export function functionPort(fn: TriggerTarget | undefined): number {
  const service = fn?.spec.service;
  const ports = service && typeof service === 'object' ? (service as { ports?: unknown }).ports : undefined;
  if (!Array.isArray(ports) || ports.length === 0) return FUNCTION_PORT;
  const list = ports as PortLike[];
  const chosen = list.find((p) => p?.name === 'http-function-port') ?? list[0];
  const port = chosen?.port;
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536
    ? port
    : FUNCTION_PORT;
}
