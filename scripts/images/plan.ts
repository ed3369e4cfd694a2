// What `npm run images` builds, decided from the chart's appVersion and the runtime catalog, so an
// image name is never written twice: the chart pulls <image.registry>/kubeless:<tag> and the
// catalog <runtimes.registry>/runtime-<language>:<version> (lib/catalog.ts defaultCatalog).
import { defaultCatalog, type RuntimeLanguage } from '../../lib/catalog.js';

/** Which build context an image needs: the whole project, or one runtime's files. */
export type ContextKind = 'kubeless' | RuntimeLanguage;

export interface ImageBuild {
  /** Short name for --only and the archive file, e.g. `kubeless` or `runtime-nodejs:22`. */
  name: string;
  /** The reference it is tagged with. */
  ref: string;
  /** Dockerfile path inside the staged context. */
  dockerfile: string;
  context: ContextKind;
  buildArgs: Record<string, string>;
}

export interface PlanOptions {
  registry: string;
  /** Tag of the Kubeless image; the chart's appVersion when omitted (the chart's default tag). */
  tag: string;
  /** Names to build (`kubeless`, `runtime-nodejs:22`, ...); all when empty. */
  only: readonly string[];
}

/** The project paths the Kubeless Dockerfile copies; a unit test checks them against its COPY lines. */
export const KUBELESS_CONTEXT_PATHS: readonly string[] = [
  'Dockerfile',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'main.ts',
  'lib',
  'openapi',
  'controller',
  'webhook',
  'api',
  'runtimes',
  'local',
  'cli',
  'kafka',
  'bin',
];

const VERSION_ARG: Record<RuntimeLanguage, string> = { nodejs: 'NODE_VERSION', python: 'PYTHON_VERSION' };

export class PlanError extends Error {}

/** A registry prefix as `docker build -t` takes it: host[:port]/path, lower case, no tag or digest. */
export function checkRegistry(registry: string): string {
  const trimmed = registry.replace(/\/+$/, '');
  const part = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
  const [first, ...rest] = trimmed.split('/');
  const host = /^[a-z0-9.-]+(?::[0-9]{1,5})?$/;
  const ok =
    trimmed !== '' &&
    first !== undefined &&
    (host.test(first) || part.test(first)) &&
    rest.every((p) => part.test(p));
  if (!ok) {
    throw new PlanError(
      `--registry ${JSON.stringify(registry)} is not a registry path (fix: e.g. registry.example.com/team or localhost:5000, lower case, no tag)`,
    );
  }
  return trimmed;
}

export function planImages(opts: PlanOptions): ImageBuild[] {
  const registry = checkRegistry(opts.registry);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(opts.tag)) {
    throw new PlanError(
      `--tag ${JSON.stringify(opts.tag)} is not an image tag (fix: letters, digits, _ . -, at most 128)`,
    );
  }
  const all: ImageBuild[] = [
    {
      name: 'kubeless',
      ref: `${registry}/kubeless:${opts.tag}`,
      dockerfile: 'Dockerfile',
      context: 'kubeless',
      buildArgs: {},
    },
    ...defaultCatalog(registry).runtimes.map((r) => ({
      name: `runtime-${r.language}:${r.version}`,
      ref: r.images.runtime,
      dockerfile: `runtimes/${r.language}/Dockerfile`,
      context: r.language,
      buildArgs: { [VERSION_ARG[r.language]]: r.version },
    })),
  ];
  if (opts.only.length === 0) return all;
  const unknown = opts.only.filter((n) => !all.some((b) => b.name === n));
  if (unknown.length > 0) {
    throw new PlanError(
      `--only ${unknown.join(',')}: no such image (fix: use one of ${all.map((b) => b.name).join(', ')})`,
    );
  }
  return all.filter((b) => opts.only.includes(b.name));
}

/** The install line that runs what was built. */
export function helmInstallLine(registry: string, tag: string, appVersion: string): string {
  const reg = checkRegistry(registry);
  const tagFlag = tag === appVersion ? '' : ` --set image.tag=${tag}`;
  return (
    `helm install kubeless charts/kubeless -n kubeless --create-namespace ` +
    `--set image.registry=${reg} --set runtimes.registry=${reg}${tagFlag}`
  );
}
