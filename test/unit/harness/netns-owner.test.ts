// Two test clusters given the same network namespace name (a copied environment, a forgotten
// KUBELESS_E2E_NETNS) shared one namespace, and the first down.sh cut the other off. lib.sh now
// records which state directory owns a namespace: up.sh refuses another's, down.sh leaves it.
// `ip` is replaced by a stand-in on PATH that says the namespace and veth exist, so no root is needed.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const lib = resolve('test/cluster/lib.sh');
const dir = mkdtempSync(join(tmpdir(), 'netns-owner-'));
const bin = join(dir, 'bin');
mkdirSync(bin);
// `ip netns list` names the namespace; `ip link show` finds the veth; anything else succeeds.
writeFileSync(
  join(bin, 'ip'),
  '#!/usr/bin/env bash\n[[ "$1 $2" == "netns list" ]] && echo "kl-test-ns (id: 7)"\nexit 0\n',
);
chmodSync(join(bin, 'ip'), 0o755);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function inLib(stateDir: string, script: string): { code: number | null; stderr: string } {
  const r = spawnSync('bash', ['-c', `set -euo pipefail; source "${lib}"; ${script}`], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      KUBELESS_E2E_DIR: stateDir,
      KUBELESS_E2E_NETNS: 'kl-test-ns',
      KUBELESS_E2E_VETH: 'kltest0',
      KUBELESS_E2E_OWNER_DIR: join(dir, 'owners'),
    },
  });
  return { code: r.status, stderr: r.stderr };
}

describe('network namespace ownership (test/cluster/lib.sh)', () => {
  const a = join(dir, 'cluster-a');
  const b = join(dir, 'cluster-b');

  it('the first cluster claims the namespace and may claim it again', () => {
    expect(inLib(a, 'claim_netns').code).toBe(0);
    expect(readFileSync(join(dir, 'owners', 'kl-test-ns.owner'), 'utf8').trim()).toBe(a);
    expect(inLib(a, 'claim_netns && owns_netns').code).toBe(0);
  });

  it('another cluster is refused, told whose it is and what to do, and may not remove it', () => {
    const r = inLib(b, 'claim_netns');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`belongs to the test cluster in ${a}, not to ${b}`);
    expect(r.stderr).toContain(`KUBELESS_E2E_DIR=${a} test/cluster/down.sh`);
    expect(inLib(b, 'owns_netns').code).toBe(1);
    expect(readFileSync(join(dir, 'owners', 'kl-test-ns.owner'), 'utf8').trim()).toBe(a);
  });
});
