// Init-container step: installs the function's package.json dependencies into the install
// volume so the server resolves them from $KUBELESS_INSTALL_VOLUME/node_modules.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function npmArgs(): string[] {
  return ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];
}

function log(level: string, msg: string, extra: Record<string, unknown> = {}): void {
  process.stderr.write(JSON.stringify({ level, time: new Date().toISOString(), msg, ...extra }) + '\n');
}

function main(): void {
  const volume = process.env.KUBELESS_INSTALL_VOLUME ?? '/kubeless';
  if (!existsSync(path.join(volume, 'package.json'))) {
    log('info', 'no package.json in the install volume; nothing to install', { volume });
    return;
  }
  const npm = process.env.KUBELESS_NPM ?? 'npm';
  const args = npmArgs();
  log('info', 'installing dependencies', { volume, command: [npm, ...args] });
  // argv array, no shell: nothing in package.json can become a shell command here.
  const child = spawn(npm, args, { cwd: volume, stdio: 'inherit', shell: false });
  child.on('error', (err) => {
    log('error', `could not run ${npm}: ${err.message}; install npm in the image or set KUBELESS_NPM`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (code === 0) {
      log('info', 'dependencies installed', { volume });
      return;
    }
    log('error', 'npm install failed; check the package names and versions in package.json (output above)', {
      code,
      signal,
    });
    process.exit(code ?? 1);
  });
}

main();
