// The Python image puts the function's dependencies on PYTHONPATH (so that `kubectl exec POD --
// pip freeze` lists them, as with the original image). The runtime must neither lose them nor let
// them shadow the standard modules it imports itself: a dependency such as enum34 would otherwise
// break the server before it could load the function or say why.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { call, ROOT, type Runtime, startRuntime } from './harness.js';

jest.setTimeout(30_000);

const volume = mkdtempSync(path.join(tmpdir(), 'kubeless-pythonpath-'));
const packages = path.join(volume, '.python_packages');
mkdirSync(packages);
// Stands for a backport that shadows a standard module the server imports.
writeFileSync(path.join(packages, 'json.py'), "raise ImportError('the shadowing json of a dependency')\n");
writeFileSync(path.join(packages, 'greeting_dep.py'), "WORD = 'from the dependency'\n");
writeFileSync(
  path.join(volume, 'uses_dep.py'),
  'import greeting_dep\n\ndef handler(event, context):\n    return greeting_dep.WORD\n',
);

let rt: Runtime | undefined;
afterAll(async () => {
  await rt?.stop();
  rmSync(volume, { recursive: true, force: true });
});

describe('python runtime with the image PYTHONPATH', () => {
  it('serves the function, which imports its dependency, though a dependency shadows json', async () => {
    rt = await startRuntime('python', {
      volume,
      mod: 'uses_dep',
      handler: 'handler',
      env: { PYTHONPATH: packages },
    });
    const res = await call(rt, '/', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('from the dependency');
  });

  it('install.py runs though the packages of an earlier run shadow json', () => {
    // No requirements.txt: install.py only logs that there is nothing to install (JSON).
    const r = spawnSync('python3', [path.join(ROOT, 'runtimes/python/install.py')], {
      env: { PATH: process.env.PATH, KUBELESS_INSTALL_VOLUME: volume, PYTHONPATH: packages },
      encoding: 'utf8',
    });
    expect(r.stderr).toContain('nothing to install');
    expect(r.status).toBe(0);
  });
});
