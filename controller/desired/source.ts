import type { ResolvedFunction } from '../model.js';

/**
 * The ConfigMap key that holds the code, named like the original Kubeless did: the module with
 * the runtime's suffix, or the archive's extension when the code is an archive to unpack.
 */
export function codeFileName(fn: Pick<ResolvedFunction, 'handler' | 'contentType' | 'runtime'>): string {
  const { module } = fn.handler;
  const archive = fn.contentType.archive;
  if (archive === 'zip') return `${module}.zip`;
  if (archive === 'compressedtar') return `${module}.tar.gz`;
  return `${module}${fn.runtime.suffix}`;
}
