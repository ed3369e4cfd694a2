import { DEFAULT_CATALOG, type RuntimeCatalog } from '../../lib/catalog.js';
import { runtimeWarnings } from '../../lib/function/runtime-warnings.js';
import { validateFunction, type FieldError } from '../../lib/function/validate.js';
import { describeFieldError } from '../../lib/k8s/status.js';
import type { FunctionObject } from '../kube/types.js';

export interface LocalCheck {
  errors: string[];
  warnings: string[];
}

/**
 * Runs the shared validation (the same rules as the webhook and the local platform) on a Function
 * that will not be sent (`--dryrun`). The cluster's runtime catalog may hold runtimes the shipped
 * one does not, so an unknown runtime is only a warning here; the server decides for real.
 */
export function checkLocally(
  fn: FunctionObject,
  catalog: RuntimeCatalog = DEFAULT_CATALOG,
  now: Date = new Date(),
): LocalCheck {
  const problems: FieldError[] = validateFunction(fn, catalog);
  const isCatalogMiss = (e: FieldError) => e.field === 'spec.runtime' && e.type === 'FieldValueNotSupported';
  return {
    errors: problems.filter((e) => !isCatalogMiss(e)).map(describeFieldError),
    warnings: [
      ...problems
        .filter(isCatalogMiss)
        .map((e) => `${describeFieldError(e)}; the cluster's catalog may differ`),
      ...runtimeWarnings(fn.spec?.runtime, catalog, now),
    ],
  };
}
