// Which port a Function is called on and which one its runtime listens on, decided once from
// spec.service.ports for the controller's Deployment and Service, the aggregated API's dial target
// and the triggers. The original Kubeless ran the runtime on the Service's targetPort (FUNC_PORT,
// containerPort, probes, prometheus port) and called the Service's port, so
// `kubeless function deploy --port 8081` and old manifests with their own ports keep working.

export const DEFAULT_FUNCTION_PORT = 8080;
/** The Service port's name (Istio needs the `http-` prefix); the one the function is called on. */
export const FUNCTION_PORT_NAME = 'http-function-port';

export interface FunctionPorts {
  /** The Service port entry's name, '' when it has none (a Service with a single unnamed port). */
  name: string;
  /** The Service's port: where callers (the aggregated API, Ingresses, CronJobs) send calls. */
  servicePort: number;
  /** Where the runtime listens in its pod: FUNC_PORT, the containerPort, the probes, metrics. */
  runtimePort: number;
}

interface PortLike {
  name?: unknown;
  port?: unknown;
  targetPort?: unknown;
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536;
}

function asPortList(service: unknown): PortLike[] {
  if (service === null || typeof service !== 'object') return [];
  const ports = (service as { ports?: unknown }).ports;
  if (!Array.isArray(ports)) return [];
  return ports.filter((p): p is PortLike => p !== null && typeof p === 'object');
}

/**
 * The function's ports: the entry of `spec.service.ports` named http-function-port, else the first
 * one (the original used the first), else 8080 for both. A numeric targetPort is where the runtime
 * listens; without one (Kubernetes then targets the Service port) or with a named one (it can only
 * name our container port, which listens on the runtime port) the runtime listens on the Service
 * port. An entry without a valid port falls back to the defaults whole (kube-apiserver refuses such
 * a Service, and the Function's status says so).
 */
export function functionPorts(spec: { service?: unknown } | undefined): FunctionPorts {
  const list = asPortList(spec?.service);
  const chosen = list.find((p) => p.name === FUNCTION_PORT_NAME) ?? list[0];
  if (!chosen || !isPort(chosen.port)) {
    return {
      name: FUNCTION_PORT_NAME,
      servicePort: DEFAULT_FUNCTION_PORT,
      runtimePort: DEFAULT_FUNCTION_PORT,
    };
  }
  return {
    name: typeof chosen.name === 'string' ? chosen.name : '',
    servicePort: chosen.port,
    runtimePort: isPort(chosen.targetPort) ? chosen.targetPort : chosen.port,
  };
}
