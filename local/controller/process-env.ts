// What a runtime or install process gets from the platform's own environment. The platform runs
// in the user's shell, whose environment holds cloud credentials, tokens and the like; a function
// on a cluster never sees its node's environment, so locally it gets only what makes a program
// run. Install steps (pip, npm) also get what they need to reach a package registry. Pure.

/** Host variables every runtime process gets: the search path, home, locale, time zone, temp dir. */
export const RUNTIME_HOST_ENV = [
  'PATH',
  'HOME',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
] as const;

/** Also passed to install steps: proxies, CA bundles, the npm binary to use. */
export const INSTALL_HOST_ENV = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'NODE_EXTRA_CA_CERTS',
  'KUBELESS_NPM',
] as const;

/** pip's and npm's own settings (index URL, registry, cache) are read from these prefixes. */
const INSTALL_HOST_PREFIXES = ['PIP_', 'npm_config_', 'NPM_CONFIG_'];

export type ProcessPurpose = 'runtime' | 'install';

/** The environment of a child process: the allowed host variables, then `own` (which wins). */
export function processEnv(
  host: NodeJS.ProcessEnv,
  purpose: ProcessPurpose,
  own: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  const names: readonly string[] =
    purpose === 'install' ? [...RUNTIME_HOST_ENV, ...INSTALL_HOST_ENV] : RUNTIME_HOST_ENV;
  for (const [name, value] of Object.entries(host)) {
    if (value === undefined) continue;
    const allowed =
      names.includes(name) ||
      (purpose === 'install' && INSTALL_HOST_PREFIXES.some((p) => name.startsWith(p)));
    if (allowed) env[name] = value;
  }
  return { ...env, ...own };
}
