// The values table of docs/install.md, derived from values.schema.json (descriptions, types, enums) and
// values.yaml (defaults), so the documentation cannot drift from what the chart accepts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

interface SchemaNode {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  $ref?: string;
  definitions?: Record<string, SchemaNode>;
}

export function loadChart(root: string): { schema: SchemaNode; values: Record<string, unknown> } {
  const dir = path.join(root, 'charts/kubeless');
  return {
    schema: JSON.parse(readFileSync(path.join(dir, 'values.schema.json'), 'utf8')) as SchemaNode,
    values: YAML.parse(readFileSync(path.join(dir, 'values.yaml'), 'utf8')) as Record<string, unknown>,
  };
}

function resolve(node: SchemaNode, root: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const target = root.definitions?.[node.$ref.replace('#/definitions/', '')] ?? {};
  // A $ref sibling description wins, as the schema means it for that key.
  return { ...target, ...node, $ref: undefined, description: node.description ?? target.description };
}

function at(values: unknown, keys: string[]): unknown {
  let v = values;
  for (const k of keys) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Markdown rows `| key | type | default | description |` for every described leaf. */
export function valuesTable(schema: SchemaNode, values: Record<string, unknown>): string {
  const rows: string[] = ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |'];
  const walk = (node: SchemaNode, keys: string[]): void => {
    const n = resolve(node, schema);
    if (n.properties && keys.length < 3 && !keys.includes('resources')) {
      for (const [k, child] of Object.entries(n.properties)) walk(child, [...keys, k]);
      return;
    }
    if (!n.description || keys[0] === 'global') return;
    const type = n.enum
      ? n.enum.map((e) => JSON.stringify(e)).join(' \\| ')
      : [n.type ?? 'object'].flat().join(' \\| ');
    const def = JSON.stringify(at(values, keys) ?? null);
    rows.push(`| \`${keys.join('.')}\` | ${type} | \`${cell(def)}\` | ${cell(n.description)} |`);
  };
  walk(schema, []);
  return rows.join('\n');
}
