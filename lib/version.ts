import { readFileSync } from 'node:fs';

// Read once from package.json so the CLI, the servers and the User-Agent agree on one version.
const pkgUrl = new URL('../../package.json', import.meta.url);
const fallbackUrl = new URL('../package.json', import.meta.url);

function readVersion(): string {
  for (const url of [pkgUrl, fallbackUrl]) {
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kubeless' && pkg.version) return pkg.version;
    } catch {
      // try the next location: dist/lib and lib/ sit at different depths
    }
  }
  return '0.0.0-unknown';
}

export const VERSION = readVersion();
