// The webhook's view of the shared model: defaulting, validation and deprecation warnings per kind.
// The webhook depends only on this interface so the shared model (lib/function, issue #2) plugs in
// without touching the admission logic.

export type { FieldError } from '../lib/function/errors.js';
import type { FieldError } from '../lib/function/errors.js';

export type KubeObject = Record<string, unknown>;

export interface AdmissionModel {
  /** Kinds of kubeless.io this model understands; others are let through untouched. */
  readonly kinds: readonly string[];
  /** A new object with defaults applied (`previous` is the stored object on UPDATE); must not modify its arguments. */
  defaults(kind: string, obj: KubeObject, previous?: KubeObject): KubeObject;
  validate(kind: string, obj: KubeObject): FieldError[];
  warnings(kind: string, obj: KubeObject): string[];
}
