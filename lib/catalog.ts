// The runtime catalog as data: which runtimes exist, their images per phase, and the file names
// the model and the controller derive from them. On a cluster it lives in a ConfigMap (key
// `runtimes`) and is read with parseCatalog; DEFAULT_CATALOG is what ships when none is given.
import YAML from 'yaml';

export type RuntimeLanguage = 'nodejs' | 'python';

export interface RuntimeInfo {
  /** What `spec.runtime` names, e.g. `nodejs20` or `python3.12`. */
  id: string;
  language: RuntimeLanguage;
  version: string;
  /** The dependency file `spec.deps` is written to, e.g. `package.json`. */
  depsFile: string;
  /** Appended to the module name of `spec.handler` to name the code file, e.g. `.js`. */
  suffix: string;
  /** One image per phase: the install init container and the runtime container. */
  images: { runtime: string; install: string };
}

export interface RuntimeCatalog {
  runtimes: RuntimeInfo[];
}

export const DEFAULT_REGISTRY = 'kubeless';

const LANGUAGES: Record<RuntimeLanguage, { depsFile: string; suffix: string }> = {
  nodejs: { depsFile: 'package.json', suffix: '.js' },
  python: { depsFile: 'requirements.txt', suffix: '.py' },
};

const SHIPPED: ReadonlyArray<{ language: RuntimeLanguage; version: string }> = [
  { language: 'nodejs', version: '20' },
  { language: 'nodejs', version: '22' },
  { language: 'python', version: '3.11' },
  { language: 'python', version: '3.12' },
];

/** The shipped runtimes with their images under `registry` (e.g. `ghcr.io/acme` or `localhost:5000`). */
export function defaultCatalog(registry: string = DEFAULT_REGISTRY): RuntimeCatalog {
  const prefix = registry.replace(/\/+$/, '');
  return {
    runtimes: SHIPPED.map(({ language, version }) => {
      // One image runs both phases (install step and server), so both point at it.
      const image = `${prefix}/runtime-${language}:${version}`;
      return {
        id: `${language}${version}`,
        language,
        version,
        depsFile: LANGUAGES[language].depsFile,
        suffix: LANGUAGES[language].suffix,
        images: { runtime: image, install: image },
      };
    }),
  };
}

export const DEFAULT_CATALOG: RuntimeCatalog = defaultCatalog();

export function findRuntime(catalog: RuntimeCatalog, id: string): RuntimeInfo | undefined {
  return catalog.runtimes.find((r) => r.id === id);
}

export function runtimeIds(catalog: RuntimeCatalog): string[] {
  return catalog.runtimes.map((r) => r.id);
}

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

const ID = /^[a-z][a-z0-9.]*$/;

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function checkEntry(raw: unknown, index: number): RuntimeInfo {
  const where = `runtimes[${index}]`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CatalogError(
      `runtime catalog: ${where} must be a mapping with id, language, version and images`,
    );
  }
  const r = raw as Record<string, unknown>;
  if (!nonEmptyString(r.id) || !ID.test(r.id)) {
    throw new CatalogError(
      `runtime catalog: ${where}.id must be a lower-case id such as "nodejs20" or "python3.12", got ${JSON.stringify(r.id)}`,
    );
  }
  if (r.language !== 'nodejs' && r.language !== 'python') {
    throw new CatalogError(
      `runtime catalog: ${where}.language must be "nodejs" or "python", got ${JSON.stringify(r.language)}`,
    );
  }
  const lang = LANGUAGES[r.language];
  const version = r.version;
  if (!nonEmptyString(version)) {
    throw new CatalogError(`runtime catalog: ${where}.version is required (e.g. "20" or "3.12")`);
  }
  const images = r.images as Record<string, unknown> | undefined;
  if (!images || !nonEmptyString(images.runtime)) {
    throw new CatalogError(`runtime catalog: ${where}.images.runtime is required (the server image)`);
  }
  const install = images.install ?? images.runtime;
  if (!nonEmptyString(install)) {
    throw new CatalogError(`runtime catalog: ${where}.images.install must be an image reference`);
  }
  for (const key of ['depsFile', 'suffix'] as const) {
    if (r[key] !== undefined && !nonEmptyString(r[key])) {
      throw new CatalogError(`runtime catalog: ${where}.${key} must be a non-empty string or left out`);
    }
  }
  return {
    id: r.id,
    language: r.language,
    version,
    depsFile: (r.depsFile as string | undefined) ?? lang.depsFile,
    suffix: (r.suffix as string | undefined) ?? lang.suffix,
    images: { runtime: images.runtime, install },
  };
}

/**
 * Parses the catalog ConfigMap's `runtimes` key: YAML or JSON `{ runtimes: [...] }`. `depsFile`,
 * `suffix` and `images.install` may be left out and come from the language.
 */
export function parseCatalog(text: string): RuntimeCatalog {
  let doc: unknown;
  try {
    // Every catalog value is a string; the failsafe schema keeps `version: 3.10` as "3.10"
    // instead of the number 3.1.
    doc = YAML.parse(text, { schema: 'failsafe' });
  } catch (err) {
    throw new CatalogError(`runtime catalog: not valid YAML/JSON (${(err as Error).message})`);
  }
  const list = (doc as { runtimes?: unknown } | null)?.runtimes;
  if (!Array.isArray(list) || list.length === 0) {
    throw new CatalogError('runtime catalog: expected a non-empty "runtimes:" list at the top level');
  }
  const runtimes = list.map(checkEntry);
  const seen = new Set<string>();
  for (const r of runtimes) {
    if (seen.has(r.id))
      throw new CatalogError(`runtime catalog: runtime id "${r.id}" appears twice; ids must be unique`);
    seen.add(r.id);
  }
  return { runtimes };
}

/** The catalog as the ConfigMap stores it (YAML), the inverse of parseCatalog. */
export function formatCatalog(catalog: RuntimeCatalog): string {
  return YAML.stringify({ runtimes: catalog.runtimes });
}
