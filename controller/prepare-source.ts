import { parseCatalog } from '../lib/catalog.js';
import type { FunctionSpec as ModelSpec } from '../lib/types.js';
import type { RuntimeInfo } from './model.js';
import { KEY_CHECKSUM, KEY_CODE_FILE, KEY_CONTENT_TYPE, KEY_HANDLER } from './desired/configmap.js';

/** The runtime entry the controller put in `KUBELESS_RUNTIME`, checked like a catalog entry. */
export function runtimeFromEnv(json: string | undefined): RuntimeInfo {
  if (!json) {
    throw new Error(
      'KUBELESS_RUNTIME is not set: it holds the runtime catalog entry (JSON) the controller gives the init step',
    );
  }
  return parseCatalog(JSON.stringify({ runtimes: [JSON.parse(json) as unknown] })).runtimes[0];
}

/**
 * Rebuilds the parts of a Function's spec that materialisation needs from the files of the
 * mounted ConfigMap (see desiredConfigMap), so `kubeless prepare` never sees the Function itself.
 */
export function specFromSource(files: Record<string, string | undefined>, runtime: RuntimeInfo): ModelSpec {
  const handler = files[KEY_HANDLER]?.trim();
  const codeFile = files[KEY_CODE_FILE]?.trim();
  if (!handler || !codeFile) {
    throw new Error(
      `the source directory lacks "${KEY_HANDLER}" or "${KEY_CODE_FILE}": mount the Function's ConfigMap made by the controller`,
    );
  }
  const code = files[codeFile];
  if (code === undefined)
    throw new Error(`the source directory has no "${codeFile}", which "${KEY_CODE_FILE}" names`);
  const spec: ModelSpec = { handler, runtime: runtime.id, function: code };
  const contentType = files[KEY_CONTENT_TYPE]?.trim();
  if (contentType) spec['function-content-type'] = contentType;
  const checksum = files[KEY_CHECKSUM]?.trim();
  if (checksum) spec.checksum = checksum;
  const deps = files[runtime.depsFile];
  if (deps) spec.deps = deps;
  return spec;
}
