// The namespace and name of a route, checked before any handler sees them, answering the way
// kube-apiserver answers (measured against v1.34 for a CRD):
// - a value that decodes to several segments (`..%2F..`, `a%2Fb`): no route, 404 NotFound;
// - `.`, `..` or a `%`: 400 BadRequest "Name parameter invalid" (kube-apiserver answers a name
//   so and a namespace with a 500, which we do not copy);
// - a namespace that is not a DNS-1123 label cannot exist: a create in it is 404 `namespaces
//   "Foo" not found`, a read or write of one object 404 NotFound, a list an empty list;
// - a name that no object can have: 404 NotFound on reads and writes (see objectCanExist).
// Nothing here touches the store or the disk, and neither may a route whose values it refused.
import type { NextFunction, Request, Response, Router } from 'express';
import {
  isDns1123Label,
  isDns1123Subdomain,
  namespaceProblem,
  pathSegmentProblem,
} from '../../lib/k8s/names.js';
import { badRequestStatus, notFoundStatus, statusFailure, type Status } from '../../lib/k8s/status.js';
import { HttpStatusError } from './http.js';

/** The answer to a path value that is not one clean segment, or undefined when it is. */
export function segmentRefusal(param: 'namespace' | 'name', value: string): Status | undefined {
  const problem = pathSegmentProblem(value);
  if (problem === undefined) return undefined;
  if (value.includes('/')) {
    return statusFailure(
      404,
      'NotFound',
      `the server could not find the requested resource (the ${param} ${JSON.stringify(value)} spans several path segments)`,
    );
  }
  const label = param === 'namespace' ? 'Namespace' : 'Name';
  return badRequestStatus(
    `${label} parameter invalid: ${JSON.stringify(value)}: ${problem}; use lower-case letters, digits and '-'`,
  );
}

/** Whether an object could be stored under this namespace and name at all. */
export function objectCanExist(namespace: string, name: string): boolean {
  return isDns1123Label(namespace) && isDns1123Subdomain(name);
}

/** A create in a namespace that cannot exist: kube-apiserver's namespace lifecycle answer. */
export function namespaceMissing(namespace: string): Status | undefined {
  const problem = namespaceProblem(namespace);
  if (problem === undefined) return undefined;
  const s = notFoundStatus('namespaces', namespace, '');
  return { ...s, message: `${s.message}: ${problem}` };
}

/** Installs the segment checks on every route of `router` that has `:ns` or `:name`. */
export function guardPathParams(router: Router): void {
  const check =
    (param: 'namespace' | 'name') =>
    (_req: Request, _res: Response, next: NextFunction, value: unknown): void => {
      const refusal = segmentRefusal(param, String(value));
      next(refusal ? new HttpStatusError(refusal) : undefined);
    };
  router.param('ns', check('namespace'));
  router.param('name', check('name'));
}
