import { functionPorts } from '../../lib/function/ports.js';

/**
 * The little a trigger needs from its Function. Narrower than either Function type (the shared
 * model's or the controller's), so the builders accept both.
 */
export interface TriggerTarget {
  spec: { timeout?: string; service?: unknown };
}

/**
 * The port the Function's Service listens on: spec.service.ports replaces ours when set (as in
 * the original Kubeless, e.g. a headless Service on 9090), so a trigger follows it
 * (lib/function/ports.ts decides which entry; 8080 by default).
 */
export function functionPort(fn: TriggerTarget | undefined): number {
  return functionPorts(fn?.spec).servicePort;
}
