// A deliberately tiny model for testing the admission plumbing in isolation from the real rules.
import type { AdmissionModel, FieldError, KubeObject } from '../../../webhook/model.js';

export const fixtureModel: AdmissionModel = {
  kinds: ['Function', 'HTTPTrigger', 'KafkaTrigger'],
  defaults(kind, obj) {
    if (kind !== 'Function') return obj;
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    return { ...obj, spec: { timeout: '180', 'function-content-type': 'text', ...spec } };
  },
  validate(kind, obj: KubeObject): FieldError[] {
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    if (kind === 'Function' && !spec.handler) {
      return [
        {
          field: 'spec.handler',
          type: 'FieldValueRequired',
          message: 'handler is required',
          fix: 'set spec.handler to module.function',
        },
      ];
    }
    return [];
  },
  warnings(kind, obj) {
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    return kind === 'Function' && spec.runtime === 'old' ? ['runtime is old'] : [];
  },
};

export function review(request: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
}

export function fnRequest(
  over: Record<string, unknown> = {},
  spec: Record<string, unknown> = { handler: 'h.f', runtime: 'nodejs22' },
) {
  return {
    uid: 'u-1',
    kind: { group: 'kubeless.io', version: 'v1beta1', kind: 'Function' },
    operation: 'CREATE',
    namespace: 'ns1',
    name: 'fn1',
    object: {
      apiVersion: 'kubeless.io/v1beta1',
      kind: 'Function',
      metadata: { name: 'fn1', namespace: 'ns1' },
      spec,
    },
    dryRun: false,
    ...over,
  };
}
