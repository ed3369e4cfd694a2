// The one way every component writes the status of a kubeless.io object: a merge patch of the
// /status subresource, under the component's field manager.
import { PatchStrategy, setHeaderOptions, type CustomObjectsApi } from '@kubernetes/client-node';
import { GROUP, VERSION } from '../types.js';
import { describeError, statusCode } from './errors.js';

export interface StatusTarget {
  /** functions, kafkatriggers, httptriggers or cronjobtriggers */
  plural: string;
  namespace: string;
  name: string;
}

/**
 * Merge-patches `status` of a kubeless.io/v1beta1 object. An object deleted meanwhile is not an
 * error (there is nothing left to report on); anything else throws, naming the object and the cause.
 */
export async function patchStatus(
  custom: CustomObjectsApi,
  fieldManager: string,
  t: StatusTarget,
  status: object,
): Promise<void> {
  try {
    await custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: VERSION,
        namespace: t.namespace,
        plural: t.plural,
        name: t.name,
        body: { status },
        fieldManager,
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  } catch (err) {
    if (statusCode(err) === 404) return;
    throw new Error(
      `could not write the status of ${t.plural} ${t.namespace}/${t.name}: ${describeError(err)}`,
      {
        cause: err,
      },
    );
  }
}
