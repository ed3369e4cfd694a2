// A Function resolved against a catalog holding only `runtime` (spec.runtime, if it names another
// id, is made an alias of it), so renderer tests can pass a fixture runtime as before.
import type { RuntimeInfo } from '../../lib/catalog.js';
import { resolveFunction, type FunctionLike, type ResolvedFunction } from '../../lib/function/resolve.js';

export function resolveWith<F extends FunctionLike>(fn: F, runtime: RuntimeInfo): ResolvedFunction<F> {
  const aliases = fn.spec.runtime === runtime.id ? {} : { [fn.spec.runtime]: runtime.id };
  const r = resolveFunction(fn, { runtimes: [runtime], aliases });
  if (!r.ok) throw new Error(`${r.problem.reason}: ${r.problem.message}`);
  return r.value;
}
