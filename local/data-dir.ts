// The layout of the local platform's data dir. Every path under it is built here, each one
// checked by lib/fs/inside.ts against its own folder, so a hostile namespace or name can at worst
// be refused, never reach `store/` from `functions/` or anything outside the data dir.
import path from 'node:path';
import { inside } from '../lib/fs/inside.js';

export type Folder = 'functions' | 'deps' | 'run' | 'logs' | 'store';

export class DataDir {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** One of the data dir's own folders. */
  folder(name: Folder): string {
    return inside(this.root, name);
  }

  /** Everything of one Function: its code directories, one per spec hash. */
  functionDir(namespace: string, name: string): string {
    return inside(this.folder('functions'), namespace, name);
  }

  /** The code of one version of a Function (the runtime's install volume). */
  codeDir(namespace: string, name: string, hash: string): string {
    return inside(this.folder('functions'), namespace, name, hash);
  }

  logFile(namespace: string, name: string): string {
    return inside(this.folder('logs'), namespace, `${name}.log`);
  }

  /** The lock file that says which process owns the data dir. */
  get lockFile(): string {
    return inside(this.root, 'lock');
  }
}
