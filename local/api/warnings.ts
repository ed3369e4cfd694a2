// What the local platform cannot do with a Function, said when the Function is written: as
// kube-apiserver does, in `Warning` headers that kubectl and the kubeless CLI print. The object is
// stored unchanged (the same manifest must still work on a cluster); the local process just runs
// without these settings. Pure, apart from `sendWarnings` writing the headers.
import type { Response } from 'express';
import { functionPorts } from '../../lib/function/ports.js';

const rec = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const POD_FIELDS: [string, string][] = [
  ['nodeSelector', 'there are no nodes to select (--node-selectors)'],
  ['affinity', 'there are no nodes to place it on'],
  ['tolerations', 'there are no nodes or taints'],
  ['serviceAccountName', 'processes run as your user, not a ServiceAccount (--service-account)'],
  ['volumes', 'nothing is mounted: Secrets and other volumes need a cluster (--secrets)'],
];

/** Settings of a Function that only a cluster can honour, each with what the local platform does instead. */
export function localOnlyWarnings(obj: unknown): string[] {
  const spec = rec(rec(obj)?.spec);
  if (!spec) return [];
  const warnings: string[] = [];
  const base = 'spec.deployment.spec.template.spec';
  const pod = rec(rec(rec(rec(spec.deployment)?.spec)?.template)?.spec);
  const containers = Array.isArray(pod?.containers) ? pod.containers.map(rec) : [];
  containers.forEach((c, i) => {
    if (typeof c?.image === 'string' && c.image !== '') {
      warnings.push(
        `${base}.containers[${i}].image is not used locally: the function runs on this machine's runtime for spec.runtime (--runtime-image)`,
      );
    }
    if (typeof c?.imagePullPolicy === 'string') {
      warnings.push(`${base}.containers[${i}].imagePullPolicy has no effect locally: no images are pulled`);
    }
  });
  for (const [field, why] of POD_FIELDS) {
    const value = pod?.[field];
    const map = rec(value);
    const set = Array.isArray(value) ? value.length > 0 : map ? Object.keys(map).length > 0 : !!value;
    if (set) warnings.push(`${base}.${field} is ignored locally: ${why}`);
  }
  const service = rec(spec.service);
  if (service && (Array.isArray(service.ports) || service.clusterIP !== undefined)) {
    // The same rule a cluster applies (lib/function/ports.ts), so the user sees what differs.
    const { servicePort, runtimePort } = functionPorts(spec);
    warnings.push(
      `spec.service is ignored locally: there is no Service (a cluster calls port ${servicePort} and runs the runtime on ${runtimePort}); here the runtime listens on a free loopback port: call the function with \`kubeless function call\` or through an HTTPTrigger on the gateway port (--port, --servicePort, --headless)`,
    );
  }
  return warnings;
}

/** `Warning: 299 - "<text>"` per warning, the header format of RFC 7234 that kube-apiserver uses. */
export function sendWarnings(res: Response, warnings: string[]): void {
  for (const w of warnings) res.append('Warning', `299 - ${JSON.stringify(w.replace(/[\r\n]+/g, ' '))}`);
}
