// meta.k8s.io/v1 Table responses, so `kubectl get functions` prints the printer columns.
import type { StoredObject } from '../store/store.js';
import type { PrinterColumn, ResourceInfo } from './resources.js';

export const TABLE_ACCEPT = /as=Table/;

/** Evaluates the small JSONPath subset printer columns use: `.a.b` and `[?(@.k=="v")]` filters. */
export function evalPath(obj: unknown, jsonPath: string): unknown {
  const steps = jsonPath.match(/\.[^.[]+|\[\?\(@\.[^=]+==["'][^"']*["']\)\]/g) ?? [];
  let cur: unknown = obj;
  for (const step of steps) {
    if (cur === undefined || cur === null) return undefined;
    if (step.startsWith('.')) {
      cur = (cur as Record<string, unknown>)[step.slice(1)];
      continue;
    }
    const m = /^\[\?\(@\.([^=]+)==["']([^"']*)["']\)\]$/.exec(step)!;
    cur = Array.isArray(cur) ? cur.find((e) => (e as Record<string, unknown>)?.[m[1]!] === m[2]) : undefined;
  }
  return cur;
}

/** An age the way kubectl prints one (`45s`, `3m12s`, `5h`, `2d3h`). Pure. */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

function cell(obj: StoredObject, col: PrinterColumn, now: number): unknown {
  const v = evalPath(obj, col.jsonPath);
  // Like kube-apiserver for CRD date columns: the server turns the timestamp into an age.
  if (col.type === 'date' && typeof v === 'string') return humanAge(now - Date.parse(v));
  if (v === undefined || v === null) return col.type === 'integer' ? null : '';
  return typeof v === 'object' ? JSON.stringify(v) : v;
}

export function columnDefinitions(res: ResourceInfo): Array<Record<string, unknown>> {
  return [
    { name: 'Name', type: 'string', format: 'name', description: 'Name of the object', priority: 0 },
    ...res.columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: '',
      description: c.description,
      priority: 0,
    })),
  ];
}

export function tableRow(res: ResourceInfo, obj: StoredObject, now = Date.now()): Record<string, unknown> {
  return {
    cells: [obj.metadata.name ?? '', ...res.columns.map((c) => cell(obj, c, now))],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
  };
}

export function toTable(
  res: ResourceInfo,
  objects: StoredObject[],
  resourceVersion: string,
): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columnDefinitions(res),
    rows: objects.map((o) => tableRow(res, o)),
  };
}
