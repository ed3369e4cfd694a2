// The schema check of each kind: ajv, compiled once from the JSON schemas generated out of
// openapi/kubeless.io_v1beta1.yaml, with its errors turned into FieldErrors a user can act on.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { kindSchemas } from '../../openapi/generated/schemas.js';
import { API_VERSION, type KubelessKind } from '../types.js';
import { type FieldError, child, invalid, notSupported, quote, required, tooLong } from './errors.js';

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, and the typed
// plugin is the `.default` property that module.exports also carries.
const addFormats = formatsModule.default;

let ajv: Ajv | undefined;
const compiled = new Map<KubelessKind, ValidateFunction>();

function newAjv(): Ajv {
  const instance = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats(instance, ['date-time']);
  // Kubernetes' integer formats: any integer ajv accepts already fits JavaScript numbers.
  instance.addFormat('int32', { type: 'number', validate: (n: number) => n >= -(2 ** 31) && n < 2 ** 31 });
  instance.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  return instance;
}

// Compiled per kind on first use: the CLI validating one Function pays for one schema only.
function validator(kind: KubelessKind): ValidateFunction {
  let validate = compiled.get(kind);
  if (!validate) {
    ajv ??= newAjv();
    validate = ajv.compile(kindSchemas[kind]);
    compiled.set(kind, validate);
  }
  return validate;
}

/** Compiles every kind's validator now; servers call it at startup so no request pays for it. */
export function compileValidators(): void {
  for (const kind of Object.keys(kindSchemas) as KubelessKind[]) validator(kind);
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The dotted field path of a JSON pointer into `obj`, and the value found there. */
function locate(obj: unknown, pointer: string): { field: string; value: unknown } {
  let field = '';
  let value: unknown = obj;
  for (const seg of decodePointer(pointer)) {
    if (Array.isArray(value)) {
      field = child(field, Number(seg));
      value = value[Number(seg)];
    } else {
      field = child(field, seg);
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[seg] : undefined;
    }
  }
  return { field, value };
}

function toFieldError(kind: KubelessKind, obj: unknown, e: ErrorObject): FieldError {
  const { field, value } = locate(obj, e.instancePath);
  const at = field === '' ? '(root)' : field;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = child(field, String(p.missingProperty));
      if (missing === 'apiVersion') return required(missing, `set apiVersion: ${API_VERSION}`);
      if (missing === 'kind') return required(missing, `set kind: ${kind}`);
      return required(
        missing,
        `add ${missing} to the ${kind} (kubectl explain ${kind.toLowerCase()}.${missing} describes it)`,
      );
    }
    case 'type': {
      const fix =
        p.type === 'string' && typeof value === 'number'
          ? `quote the value, e.g. ${at.split('.').pop()}: "${value}"`
          : `write ${at} as ${p.type === 'object' ? 'a mapping' : p.type === 'array' ? 'a list' : `a ${String(p.type)}`}`;
      return invalid(at, `must be ${String(p.type)}, got ${quote(value)}`, fix);
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => String(v));
      return notSupported(at, `${quote(value)} is not supported`, `use one of: ${allowed.join(', ')}`);
    }
    case 'maxLength':
      return tooLong(
        at,
        `is longer than ${String(p.limit)} characters`,
        `shorten it to at most ${String(p.limit)} characters`,
      );
    case 'minLength':
      return required(at, `set ${at} to a non-empty value`, 'must not be empty');
    case 'minimum':
    case 'maximum':
      return invalid(
        at,
        `${quote(value)} must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}`,
        `use a value ${e.keyword === 'minimum' ? '>=' : '<='} ${String(p.limit)}`,
      );
    case 'format':
      return invalid(
        at,
        `${quote(value)} is not a valid ${String(p.format)}`,
        `write a ${String(p.format)} value`,
      );
    default:
      return invalid(
        at,
        `${quote(value)} ${e.message ?? 'is invalid'}`,
        `see kubectl explain ${kind.toLowerCase()}.${field}`,
      );
  }
}

/** Schema errors of `obj` as a `kind`; empty when it has the right shape. */
export function schemaErrors(kind: KubelessKind, obj: unknown): FieldError[] {
  const validate = validator(kind);
  if (validate(obj)) return [];
  return (validate.errors ?? []).map((e) => toFieldError(kind, obj, e));
}
