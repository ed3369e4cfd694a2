import { stringify } from 'yaml';

/** JSON or YAML rendering of any object, as `kubectl -o` prints it. Load it only for -o json|yaml. */
export function renderObject(obj: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(obj, null, 2)}\n` : stringify(obj);
}
