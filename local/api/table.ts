// meta.k8s.io/v1 Table responses, so `kubectl get functions` prints the printer columns.
import { humanAge } from '../../lib/format/age.js';
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

export { humanAge };
