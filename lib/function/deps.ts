// Does `spec.deps` fit the runtime's dependency file? Caught here it is a clear admission error;
// caught by npm or pip in an init container it is a crash loop the user has to dig out of logs.
import type { RuntimeInfo } from '../catalog.js';
import { type FieldError, invalid, quote } from './errors.js';

const FIELD = 'spec.deps';

function checkPackageJson(deps: string, runtime: RuntimeInfo): FieldError[] {
  let doc: unknown;
  try {
    doc = JSON.parse(deps);
  } catch (err) {
    const looksLikeRequirements = /^[A-Za-z0-9_.-]+\s*(==|>=|~=)/m.test(deps);
    return [
      invalid(
        FIELD,
        `${runtime.id} reads its dependencies from ${runtime.depsFile}, but spec.deps is not JSON (${(err as Error).message})`,
        looksLikeRequirements
          ? 'this looks like a Python requirements.txt: use a python runtime, or write {"dependencies": {"name": "version"}}'
          : 'write a package.json document such as {"dependencies": {"lodash": "^4.17.21"}}',
      ),
    ];
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return [
      invalid(
        FIELD,
        `${runtime.depsFile} must be a JSON object, got ${quote(doc)}`,
        'write a package.json document such as {"dependencies": {"lodash": "^4.17.21"}}',
      ),
    ];
  }
  const errors: FieldError[] = [];
  for (const key of ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies']) {
    const section = (doc as Record<string, unknown>)[key];
    if (section === undefined) continue;
    const bad =
      section === null ||
      typeof section !== 'object' ||
      Array.isArray(section) ||
      Object.values(section).some((v) => typeof v !== 'string');
    if (bad) {
      errors.push(
        invalid(
          FIELD,
          `"${key}" in ${runtime.depsFile} must map package names to version strings`,
          `write "${key}": {"name": "version range"}, e.g. {"lodash": "^4.17.21"}`,
        ),
      );
    }
  }
  return errors;
}

// PEP 508 requirement: name, optional extras, optional version specifiers or `@ url`, optional marker.
const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const EXTRAS = '(?:\\s*\\[\\s*[A-Za-z0-9._-]+(?:\\s*,\\s*[A-Za-z0-9._-]+)*\\s*\\])?';
const SPEC = '(?:~=|===|==|!=|<=|>=|<|>)\\s*[A-Za-z0-9.*+!_-]+';
const SPECS = `(?:\\s*\\(?\\s*${SPEC}(?:\\s*,\\s*${SPEC})*\\s*\\)?)?`;
const URL_REF = '(?:\\s*@\\s*\\S+)';
// Per-requirement options pip accepts after it (hash-checking mode).
const PER_REQ = '(?:\\s+--(?:hash|config-settings|global-option)=\\S+)*';
const MARKER = `(?:\\s*;(?:(?!\\s--).)*)?`;
const REQUIREMENT = new RegExp(`^${NAME}${EXTRAS}(?:${URL_REF}|${SPECS})${MARKER}${PER_REQ}$`);
// Options pip accepts inside a requirements file that make sense with no other files around.
const OPTION =
  /^(?:--(?:index-url|extra-index-url|find-links|trusted-host|pre|prefer-binary|no-binary|only-binary|no-index)\b.*|-[if]\s+\S+|-e\s+\S+)$/;
// A direct reference without a name (`git+https://...#egg=x`, a wheel URL).
const DIRECT = /^(?:git\+|hg\+|svn\+|bzr\+)?https?:\/\/\S+$/;

function checkRequirements(deps: string, runtime: RuntimeInfo): FieldError[] {
  const trimmed = deps.trim();
  if (trimmed.startsWith('{')) {
    return [
      invalid(
        FIELD,
        `${runtime.id} reads its dependencies from ${runtime.depsFile}, but spec.deps looks like a JSON (package.json) document`,
        'use a nodejs runtime for package.json, or list one requirement per line, e.g. "requests==2.32.3"',
      ),
    ];
  }
  const errors: FieldError[] = [];
  deps.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    if (/^-(r|c|-requirement|-constraint)\b/.test(line)) {
      errors.push(
        invalid(
          FIELD,
          `line ${i + 1}: ${quote(line)} refers to another file, which does not exist next to the function`,
          'list the requirements themselves in spec.deps',
        ),
      );
      return;
    }
    if (REQUIREMENT.test(line) || OPTION.test(line) || DIRECT.test(line)) return;
    errors.push(
      invalid(
        FIELD,
        `line ${i + 1} of ${runtime.depsFile} is not a requirement: ${quote(line)}`,
        'write one requirement per line as name[extras] followed by optional version specifiers, e.g. "requests>=2.31,<3"',
      ),
    );
  });
  return errors;
}

/** Checks `spec.deps` against the runtime's dependency file format. Empty deps are fine. */
export function validateDeps(deps: string, runtime: RuntimeInfo): FieldError[] {
  if (deps.trim() === '') return [];
  if (runtime.depsFile === 'package.json') return checkPackageJson(deps, runtime);
  if (runtime.depsFile === 'requirements.txt') return checkRequirements(deps, runtime);
  // A catalog may name other dependency files; their syntax is the install image's business.
  return [];
}
