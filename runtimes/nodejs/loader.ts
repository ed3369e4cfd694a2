import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type Handler = (event: unknown, context: unknown) => unknown;

export class LoadError extends Error {}

const SUFFIXES = ['.js', '.cjs', '.mjs', ''];

/** Finds the module file; a function may be several files, MOD_NAME names the entry one. */
export function resolveModuleFile(installVolume: string, modName: string): string {
  const base = path.resolve(installVolume, modName);
  if (!base.startsWith(path.resolve(installVolume) + path.sep)) {
    throw new LoadError(`MOD_NAME ${JSON.stringify(modName)} points outside ${installVolume}`);
  }
  for (const suffix of SUFFIXES) {
    if (existsSync(base + suffix) && !(suffix === '' && !path.extname(base))) return base + suffix;
  }
  throw new LoadError(
    `module ${JSON.stringify(modName)} not found in ${installVolume} (tried ${SUFFIXES.filter(Boolean).join(', ')}); ` +
      'check MOD_NAME and that the code was materialised into the install volume',
  );
}

/** Picks the handler out of what the module exports (original Kubeless allowed both shapes). */
export function pickHandler(exported: unknown, handlerName: string, modName: string): Handler {
  const candidates: unknown[] = [];
  if (exported !== null && (typeof exported === 'object' || typeof exported === 'function')) {
    const record = exported as Record<string, unknown>;
    if (handlerName) candidates.push(record[handlerName]);
    const def = record.default;
    if (def !== null && (typeof def === 'object' || typeof def === 'function') && handlerName) {
      candidates.push((def as Record<string, unknown>)[handlerName]);
    }
    candidates.push(def);
  }
  candidates.push(exported);
  const found = candidates.find((c) => typeof c === 'function');
  if (found === undefined) {
    throw new LoadError(
      `handler ${JSON.stringify(handlerName)} is not a function exported by ${JSON.stringify(modName)}; ` +
        `export it (module.exports = { ${handlerName || 'handler'} } or export function ${handlerName || 'handler'})`,
    );
  }
  return found as Handler;
}

function isEsmError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE';
}

/** Loads CommonJS with require (resolving deps from the volume's node_modules), ESM with import. */
export async function loadHandler(
  installVolume: string,
  modName: string,
  handlerName: string,
): Promise<Handler> {
  const file = resolveModuleFile(installVolume, modName);
  let exported: unknown;
  try {
    if (file.endsWith('.mjs')) {
      exported = await import(pathToFileURL(file).href);
    } else {
      const requireFromVolume = createRequire(path.join(path.resolve(installVolume), 'noop.js'));
      try {
        exported = requireFromVolume(file);
      } catch (err) {
        if (!isEsmError(err)) throw err;
        exported = await import(pathToFileURL(file).href);
      }
    }
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new LoadError(`loading ${file} failed: ${detail}`);
  }
  return pickHandler(exported, handlerName, modName);
}
