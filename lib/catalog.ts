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
  /**
   * Ids older manifests use, each mapped to the id of the runtime in `runtimes` that runs them
   * (e.g. `python27: python3.11`). A Function keeps the id it was written with; see resolveRuntime.
   */
  aliases?: Record<string, string>;
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

/**
 * The runtime ids of the original Kubeless catalogs (kubeless/runtimes: `<ID><version>` of the
 * stable nodejs and python runtimes and the incubator Node.js variants, plus the seed era's
 * `python27` form) and the releases between them and the shipped ones.
 */
export const LEGACY_RUNTIME_IDS: ReadonlyArray<{ id: string; language: RuntimeLanguage; version: string }> = [
  ...['6', '8', '10', '12', '14', '16', '18'].map((v) => ({
    id: `nodejs${v}`,
    language: 'nodejs' as const,
    version: v,
  })),
  { id: 'nodejs_distroless8', language: 'nodejs', version: '8' },
  { id: 'nodejsCE8', language: 'nodejs', version: '8' },
  ...['2.7', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9', '3.10'].flatMap((v) => [
    { id: `python${v}`, language: 'python' as const, version: v },
    { id: `python${v.replace('.', '')}`, language: 'python' as const, version: v },
  ]),
];

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The nearest runtime of the same language for each legacy id: the oldest shipped version at or
 * above it (the smallest jump, so the least behaviour changes), else the newest below it.
 * Legacy ids that are themselves in `runtimes` stay out: they need no alias.
 */
export function legacyAliases(runtimes: readonly RuntimeInfo[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const legacy of LEGACY_RUNTIME_IDS) {
    if (runtimes.some((r) => r.id === legacy.id)) continue;
    const same = runtimes
      .filter((r) => r.language === legacy.language)
      .sort((a, b) => compareVersions(a.version, b.version));
    const target = same.find((r) => compareVersions(r.version, legacy.version) >= 0) ?? same[same.length - 1];
    if (target) out[legacy.id] = target.id;
  }
  return out;
}

/** The shipped runtimes with their images under `registry` (e.g. `ghcr.io/acme` or `localhost:5000`). */
export function defaultCatalog(registry: string = DEFAULT_REGISTRY): RuntimeCatalog {
  const prefix = registry.replace(/\/+$/, '');
  const runtimes = SHIPPED.map(({ language, version }): RuntimeInfo => {
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
  });
  return { runtimes, aliases: legacyAliases(runtimes) };
}

export const DEFAULT_CATALOG: RuntimeCatalog = defaultCatalog();

/** The runtime whose id is exactly `id` (aliases are not followed; see resolveRuntime). */
export function findRuntime(catalog: RuntimeCatalog, id: string): RuntimeInfo | undefined {
  return catalog.runtimes.find((r) => r.id === id);
}

export interface ResolvedRuntime {
  /** The runtime that runs the function. */
  runtime: RuntimeInfo;
  /** Set when `spec.runtime` named an alias: the id as written (the runtime's own id differs). */
  alias?: string;
}

/**
 * What runs a Function whose `spec.runtime` is `id`: the catalog runtime of that id, or the one
 * the catalog's aliases map it to. The one rule for the webhook, the controller, the local
 * platform and the CLI, so an old manifest applies unchanged and runs the same everywhere.
 */
export function resolveRuntime(catalog: RuntimeCatalog, id: string): ResolvedRuntime | undefined {
  const exact = findRuntime(catalog, id);
  if (exact) return { runtime: exact };
  const target = catalog.aliases && Object.hasOwn(catalog.aliases, id) ? catalog.aliases[id] : undefined;
  const runtime = target === undefined ? undefined : findRuntime(catalog, target);
  return runtime ? { runtime, alias: id } : undefined;
}

export function runtimeIds(catalog: RuntimeCatalog): string[] {
  return catalog.runtimes.map((r) => r.id);
}

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

const ID = /^[a-z][a-z0-9.]*$/;
// Old ids have upper case and underscores (nodejsCE8, nodejs_distroless8).
const ALIAS = /^[A-Za-z][A-Za-z0-9._-]*$/;

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
  const aliases = checkAliases((doc as { aliases?: unknown }).aliases, seen);
  return aliases ? { runtimes, aliases } : { runtimes };
}

function checkAliases(raw: unknown, ids: ReadonlySet<string>): Record<string, string> | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CatalogError(
      'runtime catalog: "aliases" must be a mapping from an old runtime id to a runtime id, e.g. "python27: python3.11"',
    );
  }
  const out: Record<string, string> = {};
  for (const [alias, target] of Object.entries(raw as Record<string, unknown>)) {
    if (!ALIAS.test(alias)) {
      throw new CatalogError(`runtime catalog: alias ${JSON.stringify(alias)} is not a runtime id`);
    }
    if (ids.has(alias)) {
      throw new CatalogError(
        `runtime catalog: alias "${alias}" is also a runtime id; remove the alias or the runtime`,
      );
    }
    if (typeof target !== 'string' || !ids.has(target)) {
      throw new CatalogError(
        `runtime catalog: alias "${alias}" points to ${JSON.stringify(target)}, which is not a runtime id in this catalog; use one of: ${[...ids].join(', ')}`,
      );
    }
    out[alias] = target;
  }
  return out;
}

/** The catalog as the ConfigMap stores it (YAML), the inverse of parseCatalog. */
export function formatCatalog(catalog: RuntimeCatalog): string {
  return YAML.stringify(
    catalog.aliases
      ? { runtimes: catalog.runtimes, aliases: catalog.aliases }
      : { runtimes: catalog.runtimes },
  );
}
