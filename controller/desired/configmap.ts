import type { V1ConfigMap } from '@kubernetes/client-node';
import type { ResolvedFunction } from '../model.js';
import { ownedMeta } from './meta.js';
import { codeFileName } from './source.js';

/** Keys beside the code that `kubeless prepare` reads to materialise it. */
export const KEY_HANDLER = 'handler';
export const KEY_CONTENT_TYPE = 'function-content-type';
export const KEY_CHECKSUM = 'checksum';
export const KEY_CODE_FILE = 'code-file';

export function desiredConfigMap(resolved: ResolvedFunction): V1ConfigMap {
  const { fn, runtime } = resolved;
  const spec = fn.spec;
  const codeFile = codeFileName(resolved);
  const data: Record<string, string> = {
    [KEY_HANDLER]: spec.handler,
    [codeFile]: spec.function ?? '',
    [KEY_CODE_FILE]: codeFile,
    [KEY_CONTENT_TYPE]: resolved.contentTypeText,
  };
  if (spec.deps) data[runtime.depsFile] = spec.deps;
  if (spec.checksum) data[KEY_CHECKSUM] = spec.checksum;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: ownedMeta(fn), data };
}
