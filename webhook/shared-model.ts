import { DEFAULT_CATALOG, type RuntimeCatalog } from '../lib/catalog.js';
import { defaultFunction } from '../lib/function/defaults.js';
import { dropStaleChecksum } from '../lib/function/stale-defaults.js';
import { validateObject } from '../lib/function/validate.js';
import { DEFAULT_POLICY, type PlatformPolicy } from '../lib/policy/config.js';
import { expectedWorkload, functionPolicyErrors, type PolicySubject } from '../lib/policy/function.js';
import { kafkaTopicErrors } from '../lib/policy/kafka-topics.js';
import { pubsubTopic } from '../lib/function/pubsub.js';
import { sourceWarnings } from '../lib/policy/source.js';
import { KINDS, type KafkaTriggerSpec, type KubelessFunction } from '../lib/types.js';
import type { AdmissionModel, FieldError, KubeObject } from './model.js';
import { functionWarnings, normalizeDeprecated, triggerWarnings } from './warnings.js';

export interface SharedModelOptions {
  /** The operator's policy (--policy-file); DEFAULT_POLICY without one. */
  policy?: PlatformPolicy;
  /** Kubeless's own namespace (--namespace): no Function may live there. */
  installNamespace?: string;
}

const namespaceOf = (obj: KubeObject): string =>
  ((obj.metadata as { namespace?: string } | undefined)?.namespace ?? 'default') || 'default';

/** The operator's rules, checked once the object is well-formed. */
function policyErrors(kind: string, obj: KubeObject, opts: SharedModelOptions): FieldError[] {
  const policy = opts.policy ?? DEFAULT_POLICY;
  if (kind === 'Function') {
    const fn = obj as unknown as PolicySubject;
    // A pubsub Function consumes its topic like a KafkaTrigger does: the same tenant rule.
    const topic = pubsubTopic(obj.spec as KubelessFunction['spec']);
    return [
      ...functionPolicyErrors(fn, expectedWorkload(fn), policy.functions, {
        installNamespace: opts.installNamespace,
      }),
      ...(topic ? kafkaTopicErrors(namespaceOf(obj), { topic }, policy.kafkaTopics, 'spec.topic') : []),
    ];
  }
  if (kind === 'KafkaTrigger') {
    return kafkaTopicErrors(namespaceOf(obj), (obj.spec ?? {}) as KafkaTriggerSpec, policy.kafkaTopics);
  }
  return [];
}

/** The admission model backed by the shared Function model in lib/ (the one the CLI and local platform use). */
export function sharedModel(
  catalog: () => RuntimeCatalog = () => DEFAULT_CATALOG,
  now: () => Date = () => new Date(),
  opts: SharedModelOptions = {},
): AdmissionModel {
  return {
    kinds: KINDS,
    defaults(kind, obj, previous) {
      if (kind !== 'Function') return obj;
      const normalized = dropStaleChecksum(previous, normalizeDeprecated(obj).obj);
      return defaultFunction(normalized as unknown as KubelessFunction, catalog()) as unknown as KubeObject;
    },
    validate(kind, obj) {
      const errors = validateObject(kind, obj, catalog());
      return errors.length > 0 ? errors : policyErrors(kind, obj, opts);
    },
    warnings(kind, obj) {
      if (kind !== 'Function') return triggerWarnings(kind, obj);
      const spec = (obj.spec ?? {}) as PolicySubject['spec'] & { checksum?: string };
      return [
        ...normalizeDeprecated(obj).warnings,
        ...functionWarnings(obj, catalog(), now()),
        ...sourceWarnings(spec),
      ];
    },
  };
}
