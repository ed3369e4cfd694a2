// Shape checks for each kind. Interim: replaced by the ajv validators generated from openapi/.
import type { KubelessKind } from '../types.js';
import { type FieldError, invalid, required } from './errors.js';

const STRING_FIELDS: Record<KubelessKind, string[]> = {
  Function: ['function', 'handler', 'runtime', 'deps', 'checksum', 'function-content-type', 'timeout'],
  KafkaTrigger: ['topic', 'deadLetterTopic'],
  HTTPTrigger: ['function-name', 'host-name', 'path', 'tls-secret', 'basic-auth-secret', 'gateway'],
  CronJobTrigger: ['function-name', 'schedule', 'timeZone'],
};

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function schemaErrors(kind: KubelessKind, obj: unknown): FieldError[] {
  if (!isObject(obj))
    return [invalid('', 'must be an object', `send a ${kind} manifest as a JSON/YAML mapping`)];
  const errors: FieldError[] = [];
  if (obj.metadata !== undefined && !isObject(obj.metadata)) {
    errors.push(
      invalid('metadata', 'must be an object', 'write metadata as a mapping with name and namespace'),
    );
  }
  if (!isObject(obj.spec)) {
    errors.push(required('spec', `add a spec for the ${kind}`));
    return errors;
  }
  for (const key of STRING_FIELDS[kind]) {
    const v = obj.spec[key];
    if (v !== undefined && typeof v !== 'string') {
      errors.push(
        invalid(`spec.${key}`, `must be a string, got ${typeof v}`, `quote the value of spec.${key}`),
      );
    }
  }
  return errors;
}
