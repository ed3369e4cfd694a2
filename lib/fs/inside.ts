// A path inside a folder, or an error: the last line of defence of everything that builds file
// names from names in objects (namespaces, Function names, hashes). Each part must be one plain
// path segment, the result must lie strictly inside the folder, and the folder that will hold it
// must not reach outside through a symbolic link.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { pathSegmentProblem } from '../k8s/names.js';

export class PathOutsideError extends Error {}

function within(base: string, target: string): boolean {
  const rel = path.relative(base, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** `p` with the links of its existing part resolved; the part not created yet is kept as written. */
function realOf(p: string): string {
  let dir = p;
  const tail: string[] = [];
  while (!existsSync(dir)) {
    const up = path.dirname(dir);
    if (up === dir) break;
    tail.unshift(path.basename(dir));
    dir = up;
  }
  return path.join(existsSync(dir) ? realpathSync(dir) : dir, ...tail);
}

/**
 * `folder` joined with `parts`. Throws PathOutsideError for an empty part, `.`, `..`, a separator,
 * a `%` or a NUL in a part, a result that is the folder itself or outside it, or a parent folder
 * that a symbolic link takes outside it. The last part itself may be a link (it is what gets
 * removed or replaced, never followed by rm).
 */
export function inside(folder: string, ...parts: string[]): string {
  const base = path.resolve(folder);
  const refuse = (why: string): never => {
    throw new PathOutsideError(
      `refusing the path ${JSON.stringify(parts.join('/'))} under ${base}: ${why}; this is a bug or a hostile name, report it`,
    );
  };
  if (parts.length === 0) refuse('no path was given below the folder');
  for (const part of parts) {
    const problem = pathSegmentProblem(part) ?? (part.includes('\\') ? "may not contain '\\'" : undefined);
    if (problem !== undefined) refuse(`${JSON.stringify(part)} ${problem}`);
  }
  const target = path.resolve(base, ...parts);
  if (!within(base, target)) refuse('it is not inside the folder');
  const realBase = realOf(base);
  const parent = realOf(path.dirname(target));
  if (parent !== realBase && !within(realBase, parent)) refuse(`${parent} is reached through a link`);
  return target;
}
