import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The import rules of docs/adr/0001: runtimes import nothing from the project; lib imports no
// component; components do not import each other; only local/ composes them; the root entry
// (main.ts) dispatches to all. Imports are relative (`../api/x.js`), so a path that climbs out
// (`../`, `../../` ...) into another top-level folder is what crosses a boundary. ESLint's own
// no-restricted-imports checks static imports and re-exports; no-restricted-syntax checks import().
const COMPONENTS = ['controller', 'webhook', 'api', 'local', 'kafka', 'cli'];
const PROJECT = ['lib', 'openapi', ...COMPONENTS, 'runtimes', 'scripts', 'bench', 'test'];

function boundary(files, forbidden, why) {
  const source = `^(\\.\\./)+(${forbidden.join('|')})(/|\\.js$|$)`;
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: source, message: why }] }],
      'no-restricted-syntax': [
        'error',
        { selector: `ImportExpression[source.value=/${source.replaceAll('/', '\\/')}/]`, message: why },
      ],
    },
  };
}

const boundaries = [
  boundary(
    ['runtimes/**/*.ts'],
    [...PROJECT, 'main'],
    'runtimes import nothing from the project (ADR 0001): they run alone in their images',
  ),
  boundary(
    ['lib/**/*.ts', 'openapi/**/*.ts'],
    [...COMPONENTS, 'runtimes', 'main'],
    'lib imports no component (ADR 0001): move the shared code into lib/',
  ),
  ...COMPONENTS.filter((c) => c !== 'local').map((c) =>
    boundary(
      [`${c}/**/*.ts`],
      [...COMPONENTS.filter((o) => o !== c), 'runtimes', 'main'],
      `components do not import each other (ADR 0001): ${c}/ may use lib/; only local/ composes components${c === 'cli' ? '; the CLI speaks to servers over the Kubernetes API only' : ''}`,
    ),
  ),
  boundary(
    ['local/**/*.ts'],
    ['cli', 'main'],
    'local/ composes the server components, not the CLI (ADR 0001)',
  ),
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'openapi/generated/', 'coverage/', '.e2e/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaries,
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // Stand-ins for users' functions written for the original Kubeless: CommonJS, with the
    // (event, context) signature whether or not both are used.
    files: ['test/fixtures/original/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }],
    },
  },
);
