// Which module kind a Function's code is, decided once for both platforms.
//
// Node.js reads a `.js` file as CommonJS or ESM according to the nearest package.json above it.
// A function's code is materialised into a directory that may lie under anything: the pod's
// /kubeless (nothing above it in our images, but a custom runtime image may put a package.json
// at its root), or the local platform's data dir, which by default is `.kubeless/` inside this
// checkout, whose package.json says "type": "module". So the directory itself must be the package
// boundary: code runs as Node.js's own default (CommonJS, with ESM syntax detected in `.js`, and
// `.mjs`/`.cjs` as named) unless the Function's own package.json says "type": "module". The
// original Kubeless knew CommonJS only; this keeps its functions working wherever the data lies.
import type { RuntimeInfo } from '../catalog.js';

/** A package.json written where the Function brought none. It has no `type`: Node.js's default. */
export const SCOPE_PACKAGE_JSON =
  JSON.stringify(
    {
      private: true,
      description:
        "Written by Kubeless: the function's own package scope, so its .js files load as CommonJS " +
        'whatever package.json lies above this directory. Give spec.deps "type": "module" for ESM.',
    },
    null,
    2,
  ) + '\n';

export interface ScopeFile {
  name: string;
  content: string;
}

/**
 * The file that makes a materialised directory its own package scope, or undefined when none is
 * needed: other languages, or the Function brought its own package.json (which then decides).
 */
export function moduleScopeFile(runtime: RuntimeInfo, hasOwnPackageJson: boolean): ScopeFile | undefined {
  if (runtime.language !== 'nodejs' || hasOwnPackageJson) return undefined;
  return { name: 'package.json', content: SCOPE_PACKAGE_JSON };
}
