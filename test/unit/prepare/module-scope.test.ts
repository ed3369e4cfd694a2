// The module kind of a Function's code must not depend on where its directory lies: the local
// platform's default data dir is inside this checkout, whose package.json says "type": "module".
// Each case materialises a Function under such an ESM project and loads it with the Node.js
// runtime's own loader in a plain `node` process, as the runtime would (transpiled on the fly:
// a TypeScript loader hook such as tsx would also rewrite the function's module syntax).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { DEFAULT_CATALOG, findRuntime } from '../../../lib/catalog.js';
import { materializeFunction } from '../../../lib/prepare/index.js';
import type { FunctionSpec } from '../../../lib/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const node = findRuntime(DEFAULT_CATALOG, 'nodejs20')!;
const python = findRuntime(DEFAULT_CATALOG, 'python3.11')!;

let loaderDir = '';
let loaderUrl = '';
beforeAll(() => {
  loaderDir = mkdtempSync(path.join(os.tmpdir(), 'kl-loader-'));
  const source = readFileSync(path.join(root, 'runtimes/nodejs/loader.ts'), 'utf8');
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  writeFileSync(path.join(loaderDir, 'loader.mjs'), js);
  loaderUrl = pathToFileURL(path.join(loaderDir, 'loader.mjs')).href;
});
afterAll(() => rmSync(loaderDir, { recursive: true, force: true }));

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A directory like a checkout of an ESM project, with the data dir inside it. */
function esmProject(): string {
  const project = mkdtempSync(path.join(os.tmpdir(), 'kl-esm-project-'));
  dirs.push(project);
  writeFileSync(path.join(project, 'package.json'), '{"name":"someone-elses-app","type":"module"}\n');
  return project;
}

async function materializeUnderEsm(spec: FunctionSpec): Promise<string> {
  const dir = path.join(esmProject(), '.kubeless', 'functions', 'default', 'fn');
  await materializeFunction({ spec, runtime: node, dir });
  return dir;
}

/** Loads the handler with the runtime's loader in a fresh node and calls it with `data`. */
function callWithRuntimeLoader(dir: string, mod: string, handler: string, data: unknown): unknown {
  const script = [
    `import { loadHandler } from ${JSON.stringify(loaderUrl)};`,
    `const h = await loadHandler(${JSON.stringify(dir)}, ${JSON.stringify(mod)}, ${JSON.stringify(handler)});`,
    `process.stdout.write(JSON.stringify(await h({ data: ${JSON.stringify(data)} }, {})));`,
  ].join('\n');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as unknown;
}

describe('module kind of materialised Node.js code', () => {
  it("loads CommonJS code as CommonJS under an ESM project's package.json (README's hello.yaml)", async () => {
    const dir = await materializeUnderEsm({
      handler: 'hello.handler',
      runtime: 'nodejs20',
      function: 'module.exports.handler = (event) => ({ hello: event.data });\n',
    });
    expect(callWithRuntimeLoader(dir, 'hello', 'handler', { n: 1 })).toEqual({ hello: { n: 1 } });
  });

  it('keeps a .js file written with ESM syntax working (Node.js detects it when no type is set)', async () => {
    const dir = await materializeUnderEsm({
      handler: 'esm.handler',
      runtime: 'nodejs20',
      function: 'export const handler = (event) => ({ esm: event.data });\n',
    });
    expect(callWithRuntimeLoader(dir, 'esm', 'handler', 2)).toEqual({ esm: 2 });
  });

  it('lets the Function\'s own package.json choose ESM with "type": "module", and writes nothing over it', async () => {
    const deps = '{"type": "module", "dependencies": {}}';
    const dir = await materializeUnderEsm({
      handler: 'esm.handler',
      runtime: 'nodejs20',
      function: 'export default { handler: () => typeof require };\n',
      deps,
    });
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(deps);
    expect(callWithRuntimeLoader(dir, 'esm', 'handler', null)).toBe('undefined');
  });

  it("uses the Function's own package.json without a type as CommonJS, like a pod's /kubeless", async () => {
    const dir = await materializeUnderEsm({
      handler: 'cjs.handler',
      runtime: 'nodejs20',
      function: 'module.exports = { handler: () => typeof require };\n',
      deps: '{"dependencies": {}}',
    });
    expect(callWithRuntimeLoader(dir, 'cjs', 'handler', null)).toBe('function');
  });

  it('writes no package.json for other languages', async () => {
    const dir = path.join(esmProject(), 'py');
    await materializeFunction({
      spec: { handler: 'hello.handler', runtime: 'python3.11', function: 'def handler(e, c):\n  return 1\n' },
      runtime: python,
      dir,
    });
    expect(() => readFileSync(path.join(dir, 'package.json'))).toThrow();
  });
});
