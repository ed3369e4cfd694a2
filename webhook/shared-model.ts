import { DEFAULT_CATALOG, type RuntimeCatalog } from '../lib/catalog.js';
import { defaultFunction } from '../lib/function/defaults.js';
import { dropStaleChecksum } from '../lib/function/stale-defaults.js';
import { validateObject } from '../lib/function/validate.js';
import { KINDS, type KubelessFunction } from '../lib/types.js';
import type { AdmissionModel, KubeObject } from './model.js';
import { functionWarnings, normalizeDeprecated, triggerWarnings } from './warnings.js';

/** The admission model backed by the shared Function model in lib/ (the one the CLI and local platform use). */
export function sharedModel(
  catalog: () => RuntimeCatalog = () => DEFAULT_CATALOG,
  now: () => Date = () => new Date(),
): AdmissionModel {
  return {
    kinds: KINDS,
    defaults(kind, obj, previous) {
      if (kind !== 'Function') return obj;
      const normalized = dropStaleChecksum(previous, normalizeDeprecated(obj).obj);
      return defaultFunction(normalized as unknown as KubelessFunction, catalog()) as unknown as KubeObject;
    },
    validate(kind, obj) {
      return validateObject(kind, obj, catalog());
    },
    warnings(kind, obj) {
      if (kind !== 'Function') return triggerWarnings(kind, obj);
      return [...normalizeDeprecated(obj).warnings, ...functionWarnings(obj, catalog(), now())];
    },
  };
}
