// When a process started, as a string that changes if its pid is recycled: on Linux the boot id
// and the start time in clock ticks from /proc (no process spawned), elsewhere what `ps` says.
// undefined means the process does not run (or is a zombie, which runs nothing any more).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function linuxStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or ')'; fields after the last ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTicks = fields[19]; // field 22 of proc(5)
  if (state === 'Z' || state === 'X' || startTicks === undefined) return undefined;
  let boot = '';
  try {
    boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    boot = '';
  }
  return `${boot}:${startTicks}`;
}

function psStart(pid: number): string | undefined {
  try {
    // argv only, no shell; the pid is a number we chose to ask about.
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}

export function processStart(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return process.platform === 'linux' ? linuxStart(pid) : psStart(pid);
}
