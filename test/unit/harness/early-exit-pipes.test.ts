// `set -o pipefail` with `producer | grep -q` fails when grep exits at the match and the producer
// dies of SIGPIPE (141): real-node.sh up failed 5 of 200 starts so. No script of the project may
// pipe into a reader that can stop early.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findEarlyExitPipes } from '../../helpers/early-exit-pipes.js';

/** Every tracked shell script: *.sh, and files whose first line names a shell. */
function shellScripts(): string[] {
  const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  return files.filter((f) => {
    if (f.endsWith('.sh')) return true;
    if (f.includes('node_modules/') || /\.\w+$/.test(f)) return false;
    try {
      return /^#!.*\b(?:ba|da|z)?sh\b/.test(readFileSync(f, 'utf8').split('\n', 1)[0] ?? '');
    } catch {
      return false;
    }
  });
}

describe('early-exit readers after a pipe', () => {
  it('finds the patterns that fail under pipefail', () => {
    const script = [
      'images="$(ctr images ls -q)"',
      'ctr_k8s images ls -q | grep -qx "$pause_image" || die x',
      'if ! ip netns list | grep -qw "$netns"; then',
      '  sh -c "kubectl get node -o jsonpath=\'{.x}\' | grep -qx True"',
      'ps aux | grep -m1 kubelet',
      'ls | grep -E -q foo',
      'cat f | head -n 1',
      'seq 100 | sed -n 1q',
      "seq 100 | awk '{ print; exit }'",
      'cmd | read -r first',
    ].join('\n');
    expect(findEarlyExitPipes(script).map((p) => [p.line, p.reader])).toEqual([
      [2, 'grep -q/-m/-l'],
      [3, 'grep -q/-m/-l'],
      [4, 'grep -q/-m/-l'],
      [5, 'grep -q/-m/-l'],
      [6, 'grep -q/-m/-l'],
      [7, 'head'],
      [8, 'sed ...q'],
      [9, 'awk ... exit'],
      [10, 'read'],
    ]);
  });

  it('leaves readers that consume all their input, ||, and comments alone', () => {
    const script = [
      'grep -qx "$pause_image" <<<"$images" || die x',
      'ctr tasks ls -q | grep -c running',
      'findmnt -rn | grep -E "^/x/" | sort -r | while read -r m; do umount "$m"; done',
      'a || grep -q b file',
      'ip netns list 2>/dev/null | awk -v n="$1" \'$1 == n { found = 1 } END { exit !found }\'',
      '# ctr ... | grep -q under pipefail is what this check is about',
      'echo "a | grep -q b" # quoted',
    ].join('\n');
    // The quoted one is text, but a line-based check cannot tell; it is reported, and such a line
    // is rare enough to rewrite.
    expect(findEarlyExitPipes(script).map((p) => p.line)).toEqual([7]);
  });

  it('no script of the project has one', () => {
    const scripts = shellScripts();
    expect(scripts).toEqual(expect.arrayContaining(['test/cluster/node-up.sh', '.ci/run']));
    const found = scripts.flatMap((file) =>
      findEarlyExitPipes(readFileSync(file, 'utf8')).map(
        (p) =>
          `${file}:${p.line}: ${p.text} (${p.reader} may exit early; capture the output, then search it)`,
      ),
    );
    expect(found).toEqual([]);
  });
});
