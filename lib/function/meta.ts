// Object names. Names become names of other objects (Service, Ingress, CronJob, consumer group),
// so they follow the stricter DNS-1035 label rule rather than the CRD's DNS subdomain.
import { isDns1035Label } from '../k8s/names.js';
import type { ObjectMeta } from '../types.js';
import { type FieldError, invalid, quote, required } from './errors.js';

/** metadata.name as a DNS-1035 label; `why` says what the name is used for. */
export function validateName(meta: ObjectMeta | undefined, kind: string, why: string): FieldError[] {
  const name = meta?.name;
  if (name === undefined || name === '') {
    if (meta?.generateName) return [];
    return [required('metadata.name', `give the ${kind} a name (lower-case letters, digits and '-')`)];
  }
  if (!isDns1035Label(name)) {
    return [
      invalid(
        'metadata.name',
        `${quote(name)} is not a DNS-1035 label; ${why}`,
        "use at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit",
      ),
    ];
  }
  return [];
}
