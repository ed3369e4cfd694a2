// `kubeless completion bash` (the original CLI's), loaded into a real bash as a user's rc file
// loads it, then asked what completes a few command lines.
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { assertBuilt, kubeless } from './run.js';

jest.setTimeout(60_000);

describe('kubeless completion bash', () => {
  let script: string;

  beforeAll(async () => {
    assertBuilt();
    const r = await kubeless(['completion', 'bash']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    script = r.stdout;
  });

  /** What bash offers for the words of a command line, the last one being completed. */
  function complete(...words: string[]): string[] {
    const program = [
      script,
      'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kubeless',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const stdout = execFileSync('bash', ['-c', program, 'bash', ...words], { encoding: 'utf8' });
    return stdout.split('\n').filter((w) => w !== '');
  }

  it('completes commands, aliases and server commands at the top', () => {
    expect(complete('kubeless', 'fun')).toEqual(['function']);
    expect(complete('kubeless', 'con')).toEqual(['controller']);
    expect(complete('kubeless', 'get')).toEqual(['get-server-config']);
  });

  it('completes sub-commands after an alias, and the flags of the command given', () => {
    expect(complete('kubeless', 'fn', 'de').sort()).toEqual(['delete', 'deploy', 'describe']);
    expect(complete('kubeless', 'trigger', 'cronjob', 'create', 'x', '--sch')).toEqual(['--schedule']);
    expect(complete('kubeless', 'function', 'deploy', 'hello', '--runtime', 'nodejs22', '--from-f')).toEqual([
      '--from-file',
    ]);
  });

  it('refuses a shell it has no script for, saying which it has', async () => {
    const r = await kubeless(['completion', 'zsh']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: no completion for "zsh": only bash is supported\n');
  });
});
