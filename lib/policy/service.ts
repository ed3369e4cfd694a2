// What a Function's Service may be: reachable inside the cluster, unless the operator allows more.
// Pure: a ServiceSpec in, violations out.

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export interface ServiceOptions {
  allowedServiceTypes: readonly ServiceType[];
  allowExternalIPs: boolean;
}

export interface ServiceViolation {
  /** Dotted path below the ServiceSpec. */
  field: string;
  value: unknown;
  why: string;
  fix: string;
}

const WHY_TYPE: Record<ServiceType, string> = {
  ClusterIP: 'is reachable only inside the cluster',
  NodePort: "opens the function on a port of every node's address",
  LoadBalancer: 'asks the cloud for a public load balancer in front of the function',
  ExternalName:
    'points the name at a host outside the cluster, so callers of the function reach that host instead',
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

export function checkService(serviceSpec: unknown, opts: ServiceOptions): ServiceViolation[] {
  const spec = obj(serviceSpec);
  const out: ServiceViolation[] = [];
  const type = spec.type ?? 'ClusterIP';
  if (!opts.allowedServiceTypes.includes(type as ServiceType)) {
    out.push({
      field: 'type',
      value: type,
      why: `${WHY_TYPE[type as ServiceType] ?? 'is not a Service type'}; allowed here: ${opts.allowedServiceTypes.join(', ')}`,
      fix: 'use ClusterIP (the default) and expose the function with an HTTPTrigger, or ask the operator to allow this type (functionPolicy.allowedServiceTypes)',
    });
  }
  if (!opts.allowExternalIPs) {
    const ips = spec.externalIPs;
    if (Array.isArray(ips) && ips.length > 0) {
      out.push({
        field: 'externalIPs',
        value: ips,
        why: "makes every node accept traffic for these addresses and hand it to the function, which can capture other services' traffic (CVE-2020-8554)",
        fix: 'remove externalIPs, or ask the operator to allow them (functionPolicy.allowExternalIPs)',
      });
    }
  }
  return out;
}
