// Stages the build context of each image in a directory of its own, so a build reads exactly
// what its Dockerfile needs (no node_modules, no data dirs) and a content key can cover it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { KUBELESS_CONTEXT_PATHS, type ContextKind } from './plan.js';

export function stageContext(kind: ContextKind, repoRoot: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (kind === 'kubeless') {
    for (const p of KUBELESS_CONTEXT_PATHS)
      cpSync(path.join(repoRoot, p), path.join(dir, p), { recursive: true });
    return;
  }
  const runtimeDir = path.join(dir, 'runtimes', kind);
  mkdirSync(runtimeDir, { recursive: true });
  cpSync(path.join(repoRoot, 'runtimes', kind, 'Dockerfile'), path.join(runtimeDir, 'Dockerfile'));
  if (kind === 'python') {
    for (const f of readdirSync(path.join(repoRoot, 'runtimes/python')).filter((f) => f.endsWith('.py'))) {
      cpSync(path.join(repoRoot, 'runtimes/python', f), path.join(runtimeDir, f));
    }
    return;
  }
  // The Node.js runtime's Dockerfile copies the compiled runtime: compile just that into the context.
  const outDir = path.join(dir, 'dist');
  execFileSync(
    path.join(repoRoot, 'node_modules/.bin/tsc'),
    ['-p', path.join(repoRoot, 'runtimes/nodejs/tsconfig.json'), '--outDir', outDir, '--sourceMap', 'false'],
    { stdio: 'inherit' },
  );
}
