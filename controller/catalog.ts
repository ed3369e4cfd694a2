// Temporary stand-in for `lib/catalog.ts` (issue #2), which had not landed: the same names and
// shapes as ADR 0001, so the controller switches to the shared one by changing its imports.
import YAML from 'yaml';
import type { RuntimeCatalog, RuntimeInfo } from './model.js';

export const DEFAULT_CATALOG: RuntimeCatalog = {
  runtimes: [
    {
      id: 'nodejs20',
      language: 'nodejs',
      version: '20',
      depsFile: 'package.json',
      suffix: '.js',
      images: { runtime: 'kubeless/runtime-nodejs:20', install: 'kubeless/runtime-nodejs:20' },
    },
    {
      id: 'python3.12',
      language: 'python',
      version: '3.12',
      depsFile: 'requirements.txt',
      suffix: '.py',
      images: { runtime: 'kubeless/runtime-python:3.12', install: 'kubeless/runtime-python:3.12' },
    },
  ],
};

export function findRuntime(catalog: RuntimeCatalog, id: string): RuntimeInfo | undefined {
  return catalog.runtimes.find((r) => r.id === id);
}

function isRuntime(value: unknown): value is RuntimeInfo {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  const images = r.images as Record<string, unknown> | undefined;
  return (
    typeof r.id === 'string' &&
    (r.language === 'nodejs' || r.language === 'python') &&
    typeof r.depsFile === 'string' &&
    typeof r.suffix === 'string' &&
    typeof images?.runtime === 'string' &&
    typeof images?.install === 'string'
  );
}

/** Parses the catalog ConfigMap's `runtimes` key (YAML or JSON: `{ runtimes: [...] }`). */
export function parseCatalog(text: string): RuntimeCatalog {
  const doc: unknown = YAML.parse(text);
  const list = (doc as { runtimes?: unknown } | null)?.runtimes;
  if (!Array.isArray(list)) throw new Error('runtime catalog: expected a "runtimes:" list at the top level');
  list.forEach((r, i) => {
    if (!isRuntime(r)) {
      throw new Error(
        `runtime catalog: runtimes[${i}] needs id, language (nodejs|python), version, depsFile, suffix, images.runtime and images.install`,
      );
    }
  });
  return { runtimes: list as RuntimeInfo[] };
}
