// Writing a status through the /status subresource, for every kind the controller reconciles.
import { PatchStrategy, setHeaderOptions, type CustomObjectsApi } from '@kubernetes/client-node';
import { FIELD_MANAGER } from './config.js';
import { describeError, statusCode } from './kube.js';
import { GROUP, VERSION } from '../lib/types.js';

export interface StatusTarget {
  plural: string;
  namespace: string;
  name: string;
}

/**
 * Merge-patches `status` of a kubeless.io/v1beta1 object. An object deleted meanwhile is not an
 * error (there is nothing left to report on); anything else throws with `what` and the cause.
 */
export async function patchStatus(custom: CustomObjectsApi, t: StatusTarget, status: object): Promise<void> {
  try {
    await custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: VERSION,
        namespace: t.namespace,
        plural: t.plural,
        name: t.name,
        body: { status },
        fieldManager: FIELD_MANAGER,
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  } catch (err) {
    if (statusCode(err) === 404) return;
    throw Object.assign(
      new Error(`could not write the status of ${t.plural} ${t.namespace}/${t.name}: ${describeError(err)}`),
      { cause: err },
    );
  }
}
