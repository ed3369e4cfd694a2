import { parseAllDocuments } from 'yaml';
import type { FunctionSpec } from '../lib/types.js';
import { functionInfo } from './function-info.js';
import type { FunctionInfo, KafkaTriggerObject } from './types.js';

export interface Manifests {
  triggers: KafkaTriggerObject[];
  functions: FunctionInfo[];
}

interface AnyObject {
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; labels?: unknown };
}

/**
 * KafkaTriggers and Functions from a multi-document YAML (or JSON) file: the standalone mode's
 * source of truth, where a Function only needs its name, namespace, labels, spec.service (the port
 * its Service takes calls on) and, for a seed-era pubsub Function, spec.type and spec.topic.
 */
export function parseManifests(text: string, source: string): Manifests {
  const out: Manifests = { triggers: [], functions: [] };
  const docs = parseAllDocuments(text);
  for (const [i, doc] of docs.entries()) {
    if (doc.errors.length > 0) throw new Error(`${source}: document ${i + 1}: ${doc.errors[0]?.message}`);
    const obj = doc.toJS() as AnyObject | null;
    if (!obj) continue;
    const items = obj.kind === 'List' ? ((obj as { items?: AnyObject[] }).items ?? []) : [obj];
    for (const item of items) {
      const name = item.metadata?.name;
      if (typeof name !== 'string' || !name)
        throw new Error(`${source}: document ${i + 1}: metadata.name is required`);
      const namespace = typeof item.metadata?.namespace === 'string' ? item.metadata.namespace : 'default';
      if (item.kind === 'KafkaTrigger') {
        out.triggers.push({
          ...(item as KafkaTriggerObject),
          metadata: { ...(item as KafkaTriggerObject).metadata, namespace },
        });
      } else if (item.kind === 'Function') {
        const labels = item.metadata?.labels as Record<string, string> | undefined;
        out.functions.push(
          functionInfo(namespace, name, labels, (item as { spec?: Partial<FunctionSpec> }).spec),
        );
      } else {
        throw new Error(
          `${source}: document ${i + 1}: kind ${JSON.stringify(item.kind)} is neither KafkaTrigger nor Function`,
        );
      }
    }
  }
  return out;
}
