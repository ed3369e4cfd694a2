// One problem with one field, the way the webhook, the local API and the CLI report it: a path
// (`spec.handler`), a Kubernetes cause type, what is wrong, and what to do about it.

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueTooLong'
  | 'FieldValueForbidden';

export interface FieldError {
  field: string;
  type: FieldErrorType;
  message: string;
  fix: string;
}

export function required(field: string, fix: string, message = 'is required'): FieldError {
  return { field, type: 'FieldValueRequired', message, fix };
}

export function invalid(field: string, message: string, fix: string): FieldError {
  return { field, type: 'FieldValueInvalid', message, fix };
}

export function notSupported(field: string, message: string, fix: string): FieldError {
  return { field, type: 'FieldValueNotSupported', message, fix };
}

export function tooLong(field: string, message: string, fix: string): FieldError {
  return { field, type: 'FieldValueTooLong', message, fix };
}

export function forbidden(field: string, message: string, fix: string): FieldError {
  return { field, type: 'FieldValueForbidden', message, fix };
}

/** Quotes a user value for a message, cut short so a 2 MiB string does not flood a log. */
export function quote(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}…(${text.length} characters)` : text;
}

/** Appends a JSON-pointer-like step to a dotted field path: `spec` + `deps` → `spec.deps`, `[0]` for indexes. */
export function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}
