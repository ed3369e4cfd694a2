// CPU time of one process, without its children (the local platform's children are the runtimes,
// whose time is the function's, not the platform's).
import { readFileSync } from 'node:fs';

/** User + system CPU seconds used so far by `pid` alone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ")"; utime/stime are 14/15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
