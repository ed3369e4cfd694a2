// A compiled copy of the working tree or of a git ref in a temp dir of its own (bin/, dist/,
// package.json, node_modules linked), so a bench can run two versions side by side in one run
// without touching the checkout's dist/.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..');

function tsc(cwd: string, extra: string[]): void {
  // Type errors elsewhere in a tree under work still emit JavaScript; a missing entry is what counts.
  spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', ...extra],
    { cwd, stdio: 'ignore' },
  );
}

/**
 * The runtime dependencies `ref` declares that this checkout's node_modules lacks: the copy links
 * node_modules, so an older tree that needed a package since dropped cannot start.
 */
export function missingDependencies(ref: string): string[] {
  const text = execFileSync('git', ['-C', REPO_ROOT, 'show', `${ref}:package.json`], { encoding: 'utf8' });
  const pkg = JSON.parse(text) as { dependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {}).filter(
    (name) => !existsSync(join(REPO_ROOT, 'node_modules', name, 'package.json')),
  );
}

/** The directory holding the compiled tree; `ref` undefined means the working tree. */
export function buildTree(ref: string | undefined, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  if (ref) {
    const missing = missingDependencies(ref);
    if (missing.length > 0) {
      throw new Error(
        `${ref} needs packages this checkout no longer installs (${missing.join(', ')}): ` +
          'pass a later ref as the baseline',
      );
    }
    const tar = execFileSync('git', ['-C', REPO_ROOT, 'archive', '--format=tar', ref], {
      maxBuffer: 1 << 30,
    });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    tsc(dir, []);
  } else {
    tsc(REPO_ROOT, ['--outDir', join(dir, 'dist')]);
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(REPO_ROOT, 'bin/kubeless.js'), join(dir, 'bin/kubeless.js'));
    copyFileSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  }
  for (const entry of ['bin/kubeless.js', 'dist/cli/main.js']) {
    if (!existsSync(join(dir, entry))) {
      throw new Error(`could not compile ${ref ?? 'the working tree'} in ${dir}: ${entry} is missing`);
    }
  }
  return dir;
}
