// Reads what the generated CRD manifests promise (descriptions, CEL rules), so the e2e suite checks
// the real apiserver against the manifests themselves rather than against copied strings.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './cluster.js';
import { kubectlOk } from './kubectl.js';

export interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  'x-kubernetes-validations'?: { rule: string; message?: string; messageExpression?: string }[];
}

export interface Crd {
  kind?: string;
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; plural: string; shortNames?: string[] };
    versions: {
      name: string;
      served: boolean;
      schema: { openAPIV3Schema: Schema };
      additionalPrinterColumns?: { name: string; jsonPath: string }[];
    }[];
  };
}

export interface CelRule {
  /** Where the rule sits, e.g. `spec` or `spec.handler`. */
  path: string;
  rule: string;
  message?: string;
}

export function loadCrds(dir: string): Crd[] {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  return files.flatMap((f) =>
    parseAllDocuments(readFileSync(join(dir, f), 'utf8'))
      .map((d) => d.toJS() as Crd | null)
      .filter((d): d is Crd => d?.kind === 'CustomResourceDefinition'),
  );
}

export function schemaAt(root: Schema, path: string): Schema | undefined {
  return path.split('.').reduce<Schema | undefined>((s, key) => s?.properties?.[key], root);
}

/** Every CEL rule in a schema, with the field path it is attached to. */
export function celRules(schema: Schema, path = ''): CelRule[] {
  const own = (schema['x-kubernetes-validations'] ?? []).map((v) => ({
    path,
    rule: v.rule,
    message: v.message,
  }));
  const children = Object.entries(schema.properties ?? {}).flatMap(([k, s]) =>
    celRules(s, path ? `${path}.${k}` : k),
  );
  const items = schema.items ? celRules(schema.items, `${path}[]`) : [];
  return [...own, ...children, ...items];
}

/** Applies the chart's CRDs to the test cluster and waits until the named ones are Established. */
export async function installChartCrds(names: string[]): Promise<void> {
  await kubectlOk([
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    join(repoRoot, 'charts/kubeless/crds'),
  ]);
  await kubectlOk(['wait', '--for=condition=Established', ...names.map((n) => `crd/${n}`), '--timeout=60s']);
}
