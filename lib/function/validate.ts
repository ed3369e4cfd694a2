// Validation of the kubeless.io kinds: the schema first (types, required fields), then the
// semantic rules. Pure and synchronous, shared by the webhook, the local platform and the CLI.
import type { RuntimeCatalog } from '../catalog.js';
import {
  API_VERSION,
  KINDS,
  type CronJobTriggerSpec,
  type FunctionSpec,
  type HTTPTriggerSpec,
  type KafkaTriggerSpec,
  type KubelessKind,
  type ObjectMeta,
} from '../types.js';
import { type FieldError, invalid, notSupported, quote } from './errors.js';
import { validateLabelMap } from './labels.js';
import { functionRules } from './rules.js';
import { schemaErrors } from './schema.js';
import { cronJobTriggerRules, httpTriggerRules, kafkaTriggerRules } from './triggers.js';

export type { FieldError, FieldErrorType } from './errors.js';
export { compileValidators } from './schema.js';

interface Shaped {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: ObjectMeta;
  spec: unknown;
}

function isKind(kind: string): kind is KubelessKind {
  return (KINDS as readonly string[]).includes(kind);
}

function headerErrors(kind: KubelessKind, obj: Shaped): FieldError[] {
  const errors: FieldError[] = [];
  if (obj.apiVersion !== undefined && obj.apiVersion !== API_VERSION) {
    errors.push(
      invalid(
        'apiVersion',
        `${quote(obj.apiVersion)} is not ${API_VERSION}`,
        `set apiVersion: ${API_VERSION}`,
      ),
    );
  }
  if (obj.kind !== undefined && obj.kind !== kind) {
    errors.push(invalid('kind', `${quote(obj.kind)} where ${kind} was expected`, `set kind: ${kind}`));
  }
  // kube-apiserver checks labels of every object, custom resources included.
  errors.push(...validateLabelMap(obj.metadata?.labels, 'metadata.labels'));
  return errors;
}

/**
 * Validates any kubeless.io/v1beta1 object of the given kind. Returns every problem found (empty
 * when valid). Semantic rules run only when the shape is right, so they never see a number where
 * a string belongs.
 */
export function validateObject(kind: string, obj: unknown, catalog: RuntimeCatalog): FieldError[] {
  if (!isKind(kind)) {
    return [
      notSupported('kind', `${quote(kind)} is not a kubeless.io kind`, `use one of: ${KINDS.join(', ')}`),
    ];
  }
  const shape = schemaErrors(kind, obj);
  if (shape.length > 0) return shape;
  const o = obj as Shaped;
  const header = headerErrors(kind, o);
  switch (kind) {
    case 'Function':
      return [...header, ...functionRules(o.metadata, o.spec as FunctionSpec, catalog)];
    case 'KafkaTrigger':
      return [...header, ...kafkaTriggerRules(o.metadata, o.spec as KafkaTriggerSpec)];
    case 'HTTPTrigger':
      return [...header, ...httpTriggerRules(o.metadata, o.spec as HTTPTriggerSpec)];
    case 'CronJobTrigger':
      return [...header, ...cronJobTriggerRules(o.metadata, o.spec as CronJobTriggerSpec)];
  }
}

export function validateFunction(obj: unknown, catalog: RuntimeCatalog): FieldError[] {
  return validateObject('Function', obj, catalog);
}
